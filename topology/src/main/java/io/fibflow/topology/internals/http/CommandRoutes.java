package io.fibflow.topology.internals.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.api.client.SubmitRejectedException;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.topology.internals.CommandRules;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The write side of the API: {@code POST /tasks} (submit from JSON, for clients without Avro)
 * and the commands. A command for a task the topology does not know answers 404, one its current
 * status does not allow answers 409 with the reason, and nothing is written for either; otherwise
 * it is written to task-commands and accepted (202). The topology's own check, in order on the
 * task's partition, stays the authority: a command that the state overtook is still a REJECTED
 * event with its reason in the task's events.
 */
final class CommandRoutes {

    private static final Set<String> SUBMIT_FIELDS = Set.of("name", "payload", "capability", "timeoutMs", "maxAttempts",
            "tag", "idempotencyKey", "delayMs", "priority");

    private final TaskClient client;
    private final Function<String, Optional<JsonNode>> lookup;
    private final ObjectMapper mapper = new ObjectMapper();

    CommandRoutes(TaskClient client, Function<String, Optional<JsonNode>> lookup) {
        this.client = client;
        this.lookup = lookup;
    }

    void register(Javalin app) {
        app.post("/api/v1/tasks", this::submit);
        app.post("/api/v1/tasks/{id}/{command}", this::command);
    }

    private void submit(Context ctx) {
        JsonNode body = json(ctx);
        if (!body.isObject()) {
            throw new BadRequest("body", "the body must be a JSON object with at least a \"name\"");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!SUBMIT_FIELDS.contains(f)) {
                throw new BadRequest(f, "unknown field '" + f + "'; allowed: " + SUBMIT_FIELDS);
            }
        });
        String name = text(body, "name", true);
        TaskSpec.Builder spec;
        try {
            spec = TaskSpec.builder(name).payload(body.has("payload") ? body.get("payload") : mapper.createObjectNode());
            if (body.has("capability")) {
                spec.capability(text(body, "capability", true));
            }
            if (body.has("timeoutMs")) {
                spec.timeout(Duration.ofMillis(number(body, "timeoutMs")));
            }
            if (body.has("maxAttempts")) {
                spec.maxAttempts((int) number(body, "maxAttempts"));
            }
            if (body.has("tag")) {
                spec.tag(text(body, "tag", false));
            }
            if (body.has("idempotencyKey")) {
                spec.idempotencyKey(text(body, "idempotencyKey", true));
            }
            if (body.has("delayMs")) {
                spec.delay(Duration.ofMillis(number(body, "delayMs")));
            }
            if (body.has("priority")) {
                spec.priority((int) number(body, "priority"));
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequest("body", e.getMessage());
        }
        try {
            String id = client.submit(spec.build());
            ctx.status(201).json(Map.of("id", id));
        } catch (SubmitRejectedException e) {
            throw new BadRequest(e.reason().equals("UNKNOWN_CAPABILITY") ? "capability" : "payload", e.getMessage());
        }
    }

    private void command(Context ctx) {
        String id = ctx.pathParam("id");
        String command = ctx.pathParam("command");
        TaskCommandType type = switch (command) {
            case "cancel" -> TaskCommandType.CANCEL;
            case "redrive" -> TaskCommandType.REDRIVE;
            case "resume" -> TaskCommandType.RESUME;
            default -> throw new BadRequest("command", "unknown command '" + command + "'; use resume, cancel or redrive");
        };
        // Bad input is answered before the state is looked up.
        JsonNode body = type == TaskCommandType.RESUME && !ctx.body().isBlank() ? json(ctx) : null;
        Optional<JsonNode> task = lookup.apply(id);
        if (task.isEmpty()) {
            ctx.status(404).json(Map.of("error", "task " + id + " is not known to the topology; nothing was written "
                    + "(a task submitted a moment ago may not be recorded yet: retry)"));
            return;
        }
        TaskStatus status = TaskStatus.valueOf(task.get().path("status").asText(TaskStatus.UNKNOWN.name()));
        Optional<String> refusal = CommandRules.refusal(type, status, id);
        if (refusal.isPresent()) {
            ctx.status(409).json(Map.of("error", refusal.get() + "; nothing was written", "status", status.name()));
            return;
        }
        String commandId = switch (type) {
            case CANCEL -> client.cancel(id);
            case REDRIVE -> client.redrive(id);
            default -> body != null && body.has("input") ? client.resume(id, body.get("input")) : client.resume(id);
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", id);
        out.put("command", command);
        out.put("commandId", commandId);
        out.put("status", "accepted: the outcome shows in GET /api/v1/tasks/" + id + " and its events");
        ctx.status(202).json(out);
    }

    private JsonNode json(Context ctx) {
        try {
            JsonNode node = mapper.readTree(ctx.body());
            if (node == null) {
                throw new BadRequest("body", "the body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadRequest(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || (required && v.asText().isBlank())) {
            throw new BadRequest(field, field + " must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static long number(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new BadRequest(field, field + " must be a non-negative whole number, got " + v);
        }
        return v.asLong();
    }
}
