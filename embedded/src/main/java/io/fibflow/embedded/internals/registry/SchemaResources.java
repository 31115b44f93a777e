package io.fibflow.embedded.internals.registry;

import java.util.List;
import java.util.Map;

/** {@code /schemas}: schemas by global id, and where each id is used. */
public final class SchemaResources {
    /** A subject and version that use a given schema id. */
    public record SubjectVersion(String subject, int version) {
    }

    private final RegistryService service;

    public SchemaResources(RegistryService service) {
        this.service = service;
    }

    public void addTo(Router router) {
        router
            .route("GET", "/", request -> Map.of())
            .route("GET", "/schemas/types", request -> List.of(RegistryService.AVRO))
            .route("GET", "/schemas/ids/{id}", request -> Map.of("schema", service.schemaById(id(request))))
            .route("GET", "/schemas/ids/{id}/versions", request -> service.versionsWithId(id(request)).stream()
                .map(v -> new SubjectVersion(v.subject(), v.version())).toList());
    }

    private static int id(RegistryRequest request) {
        String text = request.path("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("'" + text + "' is not a schema id");
        }
    }
}
