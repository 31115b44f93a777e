package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.List;
import java.util.Map;

/** {@code data_processing}: {@code {"data": ["a", "b"]}} → the items normalised, with a count. */
public final class DataProcessing implements TaskHandler {

    /** The payload; unknown properties are ignored. */
    public record Input(List<String> data) {
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        List<String> data = ctx.payload(Input.class).data();
        List<String> result = data == null ? List.of() : data.stream().map(s -> s.trim().toLowerCase()).toList();
        return TaskOutcome.result(Map.of("result", result, "count", result.size()));
    }
}
