package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.List;

/** {@code process_chunk}: one chunk of a dataset → its row count and sum. */
public final class ProcessChunk implements TaskHandler {

    /** The payload a {@link ProcessDataset} parent writes. */
    public record Input(String dataset_id, int chunk_id, List<Double> rows) {
    }

    /** The result its parent reads back. */
    public record Result(int chunk_id, long count, double sum) {
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        Input in = ctx.payload(Input.class);
        List<Double> rows = in.rows() == null ? List.of() : in.rows();
        double sum = 0;
        for (double v : rows) {
            sum += v;
        }
        return TaskOutcome.result(new Result(in.chunk_id(), rows.size(), sum));
    }
}
