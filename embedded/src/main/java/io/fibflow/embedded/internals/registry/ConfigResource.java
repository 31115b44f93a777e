package io.fibflow.embedded.internals.registry;

import java.util.Map;

/**
 * {@code /config}: the global and per-subject compatibility levels. As in Confluent's
 * registry, reading a subject without its own level is 40408 unless the request says
 * {@code ?defaultToGlobal=true}.
 */
public final class ConfigResource {
    private final RegistryService service;

    public ConfigResource(RegistryService service) {
        this.service = service;
    }

    public void addTo(Router router) {
        router
            .route("GET", "/config", request -> level(service.globalLevel()))
            .route("PUT", "/config", request -> {
                CompatibilityLevel level = requested(request);
                service.setGlobalLevel(level);
                return Map.of("compatibility", level.name());
            })
            .route("GET", "/config/{subject}", this::subjectLevel)
            .route("PUT", "/config/{subject}", request -> {
                CompatibilityLevel level = requested(request);
                service.setSubjectLevel(request.path("subject"), level);
                return Map.of("compatibility", level.name());
            })
            .route("DELETE", "/config/{subject}", request ->
                Map.of("compatibility", service.deleteSubjectLevel(request.path("subject")).name()));
    }

    private Object subjectLevel(RegistryRequest request) {
        String subject = request.path("subject");
        boolean defaultToGlobal = request.queryParam("defaultToGlobal").map(Boolean::parseBoolean).orElse(false);
        return service.subjectLevel(subject)
            .or(() -> defaultToGlobal ? java.util.Optional.of(service.globalLevel()) : java.util.Optional.empty())
            .map(ConfigResource::level)
            .orElseThrow(() -> RegistryException.subjectConfigNotFound(subject));
    }

    private static CompatibilityLevel requested(RegistryRequest request) {
        return CompatibilityLevel.parse(request.bodyText("compatibility",
            RegistryException.invalidCompatibilityLevel(null)));
    }

    private static Map<String, String> level(CompatibilityLevel level) {
        return Map.of("compatibilityLevel", level.name());
    }
}
