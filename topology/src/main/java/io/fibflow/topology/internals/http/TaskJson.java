package io.fibflow.topology.internals.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.avro.Payload;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.store.TaskStateRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the API: a task's state and an event of its history. */
final class TaskJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TaskJson() {
    }

    static Map<String, Object> task(TaskStateRecord s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.getTaskId());
        out.put("name", s.getName());
        out.put("status", s.getStatus().name());
        out.put("stage", s.getStage());
        out.put("attempt", s.getAttempt());
        out.put("epoch", s.getEpoch());
        out.put("capability", s.getCapability());
        out.put("tag", s.getTag());
        out.put("parentId", s.getParentId());
        out.put("rootId", s.getRootId() == null ? s.getTaskId() : s.getRootId());
        out.put("result", payload(s.getResultPayload()));
        out.put("error", error(s.getLastError()));
        out.put("progress", s.getProgress() == null ? null : Map.of(
                "percent", s.getProgress().getPercent() == null ? 0.0 : s.getProgress().getPercent(),
                "text", s.getProgress().getText() == null ? "" : s.getProgress().getText()));
        out.put("suspendReason", s.getSuspendReason());
        out.put("childIds", s.getChildIds());
        out.put("dueTime", s.getDueTime() == null ? null : Instant.ofEpochMilli(s.getDueTime()).toString());
        out.put("createdAt", Instant.ofEpochMilli(s.getCreatedAt()).toString());
        out.put("updatedAt", Instant.ofEpochMilli(s.getUpdatedAt()).toString());
        return out;
    }

    static Map<String, Object> event(TaskEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", e.getEventId());
        out.put("type", e.getType().name());
        out.put("time", e.getTime().toString());
        out.put("epoch", e.getEpoch());
        out.put("attempt", e.getAttempt());
        out.put("stage", e.getStage());
        out.put("workerId", e.getWorkerId());
        out.put("error", error(e.getError()));
        out.put("commandId", e.getCommandId());
        out.put("suspendReason", e.getSuspendReason());
        out.put("dueTime", e.getDueTime() == null ? null : e.getDueTime().toString());
        return out;
    }

    static Object payload(Payload p) {
        if (p == null) {
            return null;
        }
        ByteBuffer data = p.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if ("json/plain".equals(p.getEncoding())) {
            try {
                return MAPPER.readTree(bytes);
            } catch (Exception e) {
                // not valid JSON after all: fall through to base64
            }
        }
        return Map.of("encoding", p.getEncoding(), "base64", Base64.getEncoder().encodeToString(bytes));
    }

    static Map<String, Object> error(TaskError e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", e.getType());
        out.put("message", e.getMessage());
        out.put("retryable", e.getRetryable());
        return out;
    }
}
