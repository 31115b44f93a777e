package io.fibflow.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** A task's state as the topology's API reports it ({@code GET /api/v1/tasks/{id}}). */
public record TaskView(String id, String name, String status, int stage, int attempt, long epoch, String capability,
        String tag, String parentId, String rootId, JsonNode result, JsonNode error, JsonNode raw) {

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "CANCELLED", "PERMANENTLY_FAILED");

    static TaskView of(JsonNode n) {
        return new TaskView(n.path("id").asText(), text(n, "name"), n.path("status").asText(), n.path("stage").asInt(),
                n.path("attempt").asInt(), n.path("epoch").asLong(), text(n, "capability"), text(n, "tag"),
                text(n, "parentId"), text(n, "rootId"), n.get("result"), n.get("error"), n);
    }

    /** SUCCEEDED, CANCELLED or PERMANENTLY_FAILED. */
    public boolean isTerminal() {
        return TERMINAL.contains(status);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
