package io.fibflow.examples;

import io.fibflow.api.ChildOutcome;
import io.fibflow.api.ChildTask;
import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code process_dataset}: a two-stage workflow. Stage 0 splits
 * {@code {"dataset_id", "chunk_size", "rows": [numbers]}} into {@code process_chunk} children;
 * stage 1 aggregates their results.
 */
public final class ProcessDataset implements TaskHandler {

    /** The payload. */
    public record Input(String dataset_id, int chunk_size, List<Double> rows) {
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        Input in = ctx.payload(Input.class);
        if (ctx.stage() == 0) {
            if (in.chunk_size() < 1) {
                throw TaskFailure.nonRetryable("BAD_INPUT", "chunk_size must be >= 1, got " + in.chunk_size());
            }
            List<Double> rows = in.rows() == null ? List.of() : in.rows();
            List<ChildTask> chunks = new ArrayList<>();
            for (int start = 0, n = 0; start < rows.size(); start += in.chunk_size(), n++) {
                List<Double> slice = rows.subList(start, Math.min(rows.size(), start + in.chunk_size()));
                chunks.add(ChildTask.of("process_chunk", Map.of("dataset_id", in.dataset_id(),
                        "chunk_id", n, "rows", slice)));
            }
            if (chunks.isEmpty()) {
                return TaskOutcome.result(Map.of("dataset_id", in.dataset_id(), "chunks", 0, "rows", 0, "sum", 0.0));
            }
            ctx.progress(10, "split into " + chunks.size() + " chunks");
            return TaskOutcome.next(chunks);
        }
        long count = 0;
        double sum = 0;
        int failed = 0;
        for (ChildOutcome child : ctx.childResults()) {
            if (!child.succeeded()) {
                failed++;
                continue;
            }
            ProcessChunk.Result r = child.result(ProcessChunk.Result.class);
            count += r.count();
            sum += r.sum();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dataset_id", in.dataset_id());
        result.put("chunks", ctx.childResults().size());
        result.put("failed_chunks", failed);
        result.put("rows", count);
        result.put("sum", sum);
        result.put("mean", count == 0 ? 0.0 : sum / count);
        return TaskOutcome.result(result);
    }
}
