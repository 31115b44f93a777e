package io.fibflow.embedded.internals.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /compatibility}: would this schema be accepted under the subject's level? */
public final class CompatibilityResource {
    private final RegistryService service;

    public CompatibilityResource(RegistryService service) {
        this.service = service;
    }

    public void addTo(Router router) {
        router
            .route("POST", "/compatibility/subjects/{subject}/versions/{version}",
                request -> check(request, request.path("version")))
            .route("POST", "/compatibility/subjects/{subject}/versions", request -> check(request, null));
    }

    private Object check(RegistryRequest request, String version) {
        List<String> problems = service.incompatibilities(request.path("subject"), version,
            SubjectResources.schemaOf(request), request.bodyTextOrNull("schemaType"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (!problems.isEmpty()) {
            body.put("messages", problems);
        }
        return body;
    }
}
