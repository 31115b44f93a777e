package io.fibflow.embedded.internals.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** A parsed request: path parameters by name, query parameters, and the JSON body (may be empty). */
public record RegistryRequest(Map<String, String> pathParams, Map<String, String> query, JsonNode body) {

    public String path(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("Route has no path parameter " + name);
        }
        return value;
    }

    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A required text field of the body. */
    public String bodyText(String field, RegistryException ifMissing) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            throw ifMissing;
        }
        if (!node.isTextual()) {
            throw RegistryException.badRequest("Field '" + field + "' must be a string");
        }
        return node.asText();
    }

    /** An optional text field of the body. */
    public String bodyTextOrNull(String field) {
        JsonNode node = body == null ? null : body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
