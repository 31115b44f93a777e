package io.fibflow.api.testing;

import io.fibflow.avro.ChildResult;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Progress;
import io.fibflow.avro.RetryPolicy;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records with every optional and nested field set. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Payload payload(String text) {
        return Payload.newBuilder()
                .setEncoding("json/plain")
                .setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
                .setMetadata(Map.of("schema", "none"))
                .build();
    }

    public static Task task() {
        return Task.newBuilder()
                .setId("0190f7a0-0000-7000-8000-000000000001")
                .setName("process_chunk")
                .setCapability("gpu")
                .setPayload(payload("{\"chunk\":7}"))
                .setStage(2)
                .setAttempt(3)
                .setMaxAttempts(5)
                .setRetryPolicy(RetryPolicy.newBuilder().setInitialIntervalMs(100).setMultiplier(3.0)
                        .setMaxIntervalMs(60_000).setJitter(0.2).build())
                .setTimeoutMs(30_000L)
                .setPriority(7)
                .setTag("nightly")
                .setParentId("parent-1")
                .setRootId("root-1")
                .setParentStage(1)
                .setParentEpoch(4L)
                .setIdempotencyKey("key-1")
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .setNotBefore(Instant.ofEpochMilli(1_700_000_100_000L))
                .setContext(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setChildResults(List.of(
                        ChildResult.newBuilder().setChildId("c1").setName("child").setStatus(TaskStatus.SUCCEEDED)
                                .setResultPayload(payload("{\"ok\":true}")).setIndex(0).build(),
                        ChildResult.newBuilder().setChildId("c2").setName("child").setStatus(TaskStatus.PERMANENTLY_FAILED)
                                .setError(TaskError.newBuilder().setType("Boom").setMessage("failed").setStack("at x")
                                        .setRetryable(false).build())
                                .setIndex(1).build()))
                .setScheduleId("cron-1")
                .setTraceHeaders(Map.of("traceparent", "00-abc-def-01"))
                .setEpoch(9L)
                .build();
    }

    public static TaskEvent taskEvent() {
        return TaskEvent.newBuilder()
                .setEventId("0190f7a0-0000-7000-8000-0000000000e1")
                .setTaskId("0190f7a0-0000-7000-8000-000000000001")
                .setType(TaskEventType.SUSPENDED)
                .setTime(Instant.ofEpochMilli(1_700_000_200_000L))
                .setEpoch(9L)
                .setAttempt(3)
                .setStage(2)
                .setName("process_chunk")
                .setCapability("gpu")
                .setTag("nightly")
                .setWorkerId("worker-1")
                .setParentId("parent-1")
                .setRootId("root-1")
                .setParentStage(1)
                .setParentEpoch(4L)
                .setError(TaskError.newBuilder().setType("Boom").setMessage("m").setStack("s").setRetryable(true).build())
                .setResultPayload(payload("{\"r\":1}"))
                .setChildIds(List.of("c1", "c2"))
                .setSuspendReason("awaiting children")
                .setProgress(Progress.newBuilder().setStageName("load").setText("half").setPercent(50.0).build())
                .setDueTime(Instant.ofEpochMilli(1_700_000_300_000L))
                .setCommandId("cmd-1")
                .setMetadata(Map.of("k", "v"))
                .setTask(task())
                .build();
    }
}
