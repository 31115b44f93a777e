package io.fibflow.embedded.internals.registry;

import io.fibflow.embedded.internals.registry.StoredRecords.SchemaValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code /subjects}: register, look up, list and soft-delete versions of subjects. */
public final class SubjectResources {
    /** The body Confluent clients expect for one version of a subject. */
    public record VersionBody(String subject, int version, int id, String schema) {
        static VersionBody of(SchemaValue value) {
            return new VersionBody(value.subject(), value.version(), value.id(), value.schema());
        }
    }

    private final RegistryService service;

    public SubjectResources(RegistryService service) {
        this.service = service;
    }

    public void addTo(Router router) {
        router
            .route("GET", "/subjects", request -> service.subjects())
            .route("POST", "/subjects/{subject}/versions", this::register)
            .route("POST", "/subjects/{subject}", this::lookup)
            .route("DELETE", "/subjects/{subject}", request -> service.deleteSubject(request.path("subject")))
            .route("GET", "/subjects/{subject}/versions", request -> service.versions(request.path("subject")))
            .route("GET", "/subjects/{subject}/versions/{version}", request -> VersionBody.of(
                service.version(request.path("subject"), request.path("version"))))
            .route("GET", "/subjects/{subject}/versions/{version}/schema", this::rawSchema);
    }

    private Object register(RegistryRequest request) {
        int id = service.register(request.path("subject"), schemaOf(request), request.bodyTextOrNull("schemaType"));
        return Map.of("id", id);
    }

    private Object lookup(RegistryRequest request) {
        return VersionBody.of(service.lookup(
            request.path("subject"), schemaOf(request), request.bodyTextOrNull("schemaType")));
    }

    /** The schema itself as the JSON body, not wrapped in a string. */
    private Object rawSchema(RegistryRequest request) {
        String schema = service.version(request.path("subject"), request.path("version")).schema();
        return StoredRecords.read(schema.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    static String schemaOf(RegistryRequest request) {
        return request.bodyText("schema", RegistryException.invalidSchema("the request has no 'schema' field", null));
    }
}
