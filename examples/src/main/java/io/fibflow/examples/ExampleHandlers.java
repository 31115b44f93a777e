package io.fibflow.examples;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.HandlerProvider;
import io.fibflow.api.HandlerRegistrar;
import java.time.Duration;

/**
 * The seed's scenarios as handlers, found by workers through the {@link HandlerProvider} SPI:
 * {@code data_processing}, {@code process_dataset} → {@code process_chunk}, {@code train_model}
 * (GPU pool), {@code memory_task} (high-memory pool), {@code request_approval} (suspends until
 * resumed) and {@code flaky} (fails twice, then succeeds).
 */
public final class ExampleHandlers implements HandlerProvider {

    private final GpuProbe gpu;

    /** For the ServiceLoader: the GPU probe reads {@code FIBFLOW_GPU} or runs {@code nvidia-smi}. */
    public ExampleHandlers() {
        this(GpuProbe.fromEnvironment());
    }

    /** With a given GPU probe (e.g. the dev stack's simulated GPU pool). */
    public ExampleHandlers(GpuProbe gpu) {
        this.gpu = gpu;
    }

    @Override
    public void register(HandlerRegistrar worker) {
        worker.use("data_processing", new DataProcessing());
        worker.use("process_dataset", new ProcessDataset());
        worker.use("process_chunk", new ProcessChunk());
        worker.use("train_model", new TrainModel(gpu),
                HandlerOptions.builder().maxConcurrency(1).timeout(Duration.ofMinutes(10)).build());
        worker.use("memory_task", new MemoryTask(), HandlerOptions.builder().maxConcurrency(2).build());
        worker.use("request_approval", new RequestApproval());
        worker.use("flaky", new Flaky(2));
    }
}
