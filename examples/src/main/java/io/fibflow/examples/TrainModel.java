package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.List;
import java.util.Map;

/**
 * {@code train_model} (capability {@code gpu}): fits y = w·x + b by gradient descent on
 * {@code {"x": [...], "y": [...], "epochs": n}}. On a pool without a GPU it fails
 * non-retryably with {@code GPU_UNAVAILABLE}: retrying on the same machine cannot help.
 */
public final class TrainModel implements TaskHandler {

    /** The payload. */
    public record Input(List<Double> x, List<Double> y, Integer epochs) {
    }

    private final GpuProbe gpu;

    public TrainModel(GpuProbe gpu) {
        this.gpu = gpu;
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) throws InterruptedException {
        String device = gpu.detect();
        if (device == null) {
            throw TaskFailure.nonRetryable("GPU_UNAVAILABLE", "train_model needs a GPU but worker " + ctx.workerId()
                    + " has none (no nvidia-smi device; set FIBFLOW_GPU=true on GPU pools)");
        }
        Input in = ctx.payload(Input.class);
        if (in.x() == null || in.y() == null || in.x().size() != in.y().size() || in.x().isEmpty()) {
            throw TaskFailure.nonRetryable("BAD_INPUT", "x and y must be non-empty lists of the same length");
        }
        int epochs = in.epochs() == null ? 200 : in.epochs();
        double w = 0;
        double b = 0;
        double rate = 0.01;
        double loss = 0;
        int n = in.x().size();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            if (ctx.isCancelled()) {
                throw new InterruptedException("training cancelled at epoch " + epoch);
            }
            double dw = 0;
            double db = 0;
            loss = 0;
            for (int i = 0; i < n; i++) {
                double err = w * in.x().get(i) + b - in.y().get(i);
                loss += err * err / n;
                dw += 2 * err * in.x().get(i) / n;
                db += 2 * err / n;
            }
            w -= rate * dw;
            b -= rate * db;
            if (epoch % Math.max(1, epochs / 4) == 0) {
                ctx.progress(100.0 * epoch / epochs, "epoch " + epoch + " loss " + String.format("%.4f", loss));
            }
        }
        return TaskOutcome.result(Map.of("w", w, "b", b, "loss", loss, "device", device));
    }
}
