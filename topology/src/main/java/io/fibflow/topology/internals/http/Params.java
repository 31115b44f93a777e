package io.fibflow.topology.internals.http;

import io.fibflow.avro.TaskStatus;
import io.javalin.http.Context;
import java.util.Arrays;

/** Query-parameter parsing that names the parameter and what is allowed when the value is bad. */
final class Params {

    private Params() {
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return 100;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("limit", "limit must be a whole number from 1 to 1000, got '" + raw + "'");
        }
        if (limit < 1 || limit > 1000) {
            throw new BadRequest("limit", "limit must be from 1 to 1000, got " + limit);
        }
        return limit;
    }

    static TaskStatus status(Context ctx) {
        String raw = ctx.queryParam("status");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            TaskStatus s = TaskStatus.valueOf(raw.trim().toUpperCase());
            if (s != TaskStatus.UNKNOWN) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new BadRequest("status", "status must be one of " + Arrays.stream(TaskStatus.values())
                .filter(s -> s != TaskStatus.UNKNOWN).map(Enum::name).toList() + ", got '" + raw + "'");
    }

    static boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return false;
        }
        if (raw.isEmpty() || raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadRequest(name, name + " must be true or false, got '" + raw + "'");
    }

    static String text(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isBlank() ? null : raw;
    }
}
