package io.fibflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.HandlerProvider;
import io.fibflow.api.HandlerRegistrar;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ExampleHandlersTest {

    @Test
    void shouldBeFoundThroughTheServiceLoader() {
        List<String> names = new ArrayList<>();
        for (HandlerProvider p : ServiceLoader.load(HandlerProvider.class)) {
            p.register(new HandlerRegistrar() {
                @Override
                public HandlerRegistrar use(String name, TaskHandler handler, HandlerOptions options) {
                    names.add(name);
                    return this;
                }
            });
        }
        assertEquals(List.of("data_processing", "process_dataset", "process_chunk", "train_model", "memory_task",
                "request_approval", "flaky"), names);
    }

    @Test
    void shouldSplitADatasetIntoChunksThenAggregateTheirResults() throws Exception {
        Map<String, Object> dataset = Map.of("dataset_id", "ds-1", "chunk_size", 2, "rows", List.of(1, 2, 3, 4, 5));
        TaskOutcome first = new ProcessDataset().handle(FakeContext.of(dataset));
        TaskOutcome.Next next = assertInstanceOf(TaskOutcome.Next.class, first);
        assertEquals(3, next.children().size());
        assertEquals("process_chunk", next.children().get(0).name());

        List<ChildResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TaskOutcome.Result r = assertInstanceOf(TaskOutcome.Result.class, new ProcessChunk()
                    .handle(new FakeContext(next.children().get(i).payload(), 0, 1, List.of())));
            results.add(ChildResult.newBuilder().setChildId("c" + i).setName("process_chunk")
                    .setStatus(TaskStatus.SUCCEEDED).setIndex(i)
                    .setResultPayload(FakeContext.CODECS.encode(r.value())).build());
        }
        TaskOutcome.Result done = assertInstanceOf(TaskOutcome.Result.class,
                new ProcessDataset().handle(new FakeContext(dataset, 1, 1, results)));
        Map<?, ?> summary = (Map<?, ?>) done.value();
        assertEquals(5L, summary.get("rows"));
        assertEquals(15.0, summary.get("sum"));
        assertEquals(3, summary.get("chunks"));
    }

    @Test
    void shouldRefuseToTrainWithoutAGpuAndFitALineWithOne() throws Exception {
        Map<String, Object> data = Map.of("x", List.of(0, 1, 2, 3), "y", List.of(1, 3, 5, 7), "epochs", 3000);
        TaskFailure f = assertThrows(TaskFailure.class, () -> new TrainModel(() -> null).handle(FakeContext.of(data)));
        assertTrue(f.isNonRetryable());
        assertEquals("GPU_UNAVAILABLE", f.type());
        TaskOutcome.Result r = assertInstanceOf(TaskOutcome.Result.class,
                new TrainModel(() -> "GPU 0: test").handle(FakeContext.of(data)));
        Map<?, ?> model = (Map<?, ?>) r.value();
        assertEquals(2.0, (Double) model.get("w"), 0.05);
        assertEquals(1.0, (Double) model.get("b"), 0.1);
    }

    @Test
    void shouldCheckAvailableMemoryBeforeAllocating() {
        TaskFailure f = assertThrows(TaskFailure.class,
                () -> new MemoryTask().handle(FakeContext.of(Map.of("required_mb", 10_000_000))));
        assertEquals("INSUFFICIENT_MEMORY", f.type());
        TaskOutcome.Result r = assertInstanceOf(TaskOutcome.Result.class,
                new MemoryTask().handle(FakeContext.of(Map.of("required_mb", 8))));
        assertEquals(8, ((Map<?, ?>) r.value()).get("allocated_mb"));
    }

    @Test
    void shouldSuspendForApprovalThenApproveOnResume() {
        Map<String, Object> payload = Map.of("subject", "model v2");
        TaskOutcome.Suspend s = assertInstanceOf(TaskOutcome.Suspend.class,
                new RequestApproval().handle(FakeContext.of(payload)));
        assertTrue(s.reason().contains("model v2"));
        assertInstanceOf(TaskOutcome.Result.class, new RequestApproval().handle(new FakeContext(payload, 1, 1, List.of())));
    }

    @Test
    void shouldFailTwiceThenSucceed() {
        Flaky flaky = new Flaky(2);
        assertThrows(IllegalStateException.class, () -> flaky.handle(new FakeContext(Map.of(), 0, 1, List.of())));
        assertThrows(IllegalStateException.class, () -> flaky.handle(new FakeContext(Map.of(), 0, 2, List.of())));
        assertInstanceOf(TaskOutcome.Result.class, flaky.handle(new FakeContext(Map.of(), 0, 3, List.of())));
    }
}
