package io.fibflow.worker.internals;

import io.fibflow.api.ChildOutcome;
import io.fibflow.api.TaskContext;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Progress;
import io.fibflow.avro.TaskEventType;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link TaskContext} a handler sees; progress and checkpoints go to the poll thread as messages. */
final class RunContext implements TaskContext {

    private final TaskRun run;
    private final PayloadCodecs codecs;
    private final Mailbox mailbox;
    private final String workerId;
    private final Clock clock;

    RunContext(TaskRun run, PayloadCodecs codecs, Mailbox mailbox, String workerId, Clock clock) {
        this.run = run;
        this.codecs = codecs;
        this.mailbox = mailbox;
        this.workerId = workerId;
        this.clock = clock;
    }

    @Override
    public String taskId() {
        return run.task.getId();
    }

    @Override
    public String name() {
        return run.task.getName();
    }

    @Override
    public String capability() {
        return run.task.getCapability();
    }

    @Override
    public int stage() {
        return run.task.getStage();
    }

    @Override
    public int attempt() {
        return run.task.getAttempt();
    }

    @Override
    public long epoch() {
        return run.task.getEpoch();
    }

    @Override
    public Optional<String> parentId() {
        return Optional.ofNullable(run.task.getParentId());
    }

    @Override
    public String rootId() {
        return run.task.getRootId() == null ? run.task.getId() : run.task.getRootId();
    }

    @Override
    public Optional<String> tag() {
        return Optional.ofNullable(run.task.getTag());
    }

    @Override
    public <T> T payload(Class<T> type) {
        return codecs.decode(run.task.getPayload(), type);
    }

    @Override
    public Payload rawPayload() {
        return run.task.getPayload();
    }

    @Override
    public Optional<byte[]> context() {
        ByteBuffer c = run.context();
        if (c == null) {
            return Optional.empty();
        }
        ByteBuffer d = c.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return Optional.of(bytes);
    }

    @Override
    public List<ChildOutcome> childResults() {
        return run.task.getChildResults().stream().map(r -> new ChildOutcome(r, codecs)).toList();
    }

    @Override
    public Instant deadline() {
        return run.deadline;
    }

    @Override
    public boolean isCancelled() {
        return run.cancelled() || Thread.currentThread().isInterrupted();
    }

    @Override
    public void progress(double percent, String text) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be in [0, 100], got " + percent);
        }
        Progress progress = Progress.newBuilder().setPercent(percent).setText(text).build();
        mailbox.post(new Mailbox.SideEvent(run,
                TaskEvents.of(run.task, TaskEventType.PROGRESS, workerId, clock.instant()).setProgress(progress).build()));
    }

    @Override
    public void checkpoint(byte[] context) {
        run.checkpoint(context == null ? null : ByteBuffer.wrap(context.clone()));
        mailbox.post(new Mailbox.SideEvent(run, TaskEvents.of(run.task, TaskEventType.CHECKPOINT, workerId,
                clock.instant()).setTask(run.snapshot()).build()));
    }

    @Override
    public String workerId() {
        return workerId;
    }
}
