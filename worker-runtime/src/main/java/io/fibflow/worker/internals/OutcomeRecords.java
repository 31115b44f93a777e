package io.fibflow.worker.internals;

import io.fibflow.api.topics.DelayTiers;
import io.fibflow.api.ChildTask;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.RetryBackoff;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskIds;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.internals.records.DelayedRecords;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.api.topics.TopicNames;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns what happened to a task into the records of one transaction (DESIGN §5): events, child
 * tasks, the re-published retry, dead letters. Every value is serialized and size-checked here,
 * before anything is sent, so that one oversized record cannot abort a whole batch.
 */
final class OutcomeRecords {

    private final TopicNames names;
    private final RecordCodec codec;
    private final PayloadCodecs codecs;
    private final TopicCatalog catalog;
    private final String workerId;
    private final int maxValueBytes;
    private final Clock clock;
    private final DelayTiers tiers;

    OutcomeRecords(TopicNames names, RecordCodec codec, PayloadCodecs codecs, TopicCatalog catalog, String workerId,
            int maxValueBytes, Clock clock, DelayTiers tiers) {
        this.tiers = tiers;
        this.names = names;
        this.codec = codec;
        this.codecs = codecs;
        this.catalog = catalog;
        this.workerId = workerId;
        this.maxValueBytes = maxValueBytes;
        this.clock = clock;
    }

    ProducerRecord<String, byte[]> started(Task task) {
        return event(TaskEvents.of(task, TaskEventType.STARTED, workerId, clock.instant()).build());
    }

    /** The task was cancelled: skipped before it started, or interrupted while running. */
    ProducerRecord<String, byte[]> cancelled(Task task, String why) {
        return event(TaskEvents.of(task, TaskEventType.CANCELLED, workerId, clock.instant())
                .setMetadata(java.util.Map.of("reason", why)).build());
    }

    ProducerRecord<String, byte[]> event(TaskEvent event) {
        return new ProducerRecord<>(names.events(), event.getTaskId(), codec.event(names.events(), event));
    }

    /** The records for a handler's return value or exception. */
    List<ProducerRecord<String, byte[]>> completed(TaskRun run, TaskOutcome outcome, Throwable failure) {
        if (failure != null) {
            return failed(run, failure);
        }
        try {
            if (outcome instanceof TaskOutcome.Result result) {
                return succeeded(run, result);
            }
            if (outcome instanceof TaskOutcome.Next next) {
                return spawned(run, next);
            }
            if (outcome instanceof TaskOutcome.Suspend suspend) {
                return List.of(checked(event(TaskEvents.of(run.task, TaskEventType.SUSPENDED, workerId, clock.instant())
                        .setSuspendReason(suspend.reason()).setTask(withContext(run, suspend.context())).build())));
            }
            return failed(run, TaskFailure.nonRetryable("NO_OUTCOME", "the handler returned null; return "
                    + "TaskOutcome.result(...), next(...) or suspend(...)"));
        } catch (TaskFailure f) {
            return failed(run, f);
        } catch (RuntimeException e) {
            // The outcome itself could not be encoded (e.g. a result Jackson cannot write): not retryable.
            return failed(run, TaskFailure.nonRetryable(e.getClass().getName(), e.getMessage(), e));
        }
    }

    private List<ProducerRecord<String, byte[]>> succeeded(TaskRun run, TaskOutcome.Result result) {
        TaskEvent.Builder e = TaskEvents.of(run.task, TaskEventType.SUCCEEDED, workerId, clock.instant());
        if (result.value() != null) {
            e.setResultPayload(codecs.encode(result.value()));
        }
        return List.of(checked(event(e.build())));
    }

    private List<ProducerRecord<String, byte[]>> spawned(TaskRun run, TaskOutcome.Next next) {
        Task parent = run.task;
        Instant now = clock.instant();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        List<String> childIds = new ArrayList<>();
        for (int i = 0; i < next.children().size(); i++) {
            ChildTask spec = next.children().get(i);
            String capability = spec.capability() == null ? parent.getCapability() : spec.capability();
            String topic = names.tasks(capability);
            if (!catalog.exists(topic)) {
                throw TaskFailure.nonRetryable(TaskFailure.UNKNOWN_CAPABILITY, "child " + i + " (" + spec.name()
                        + ") names capability '" + capability + "' but topic " + topic + " does not exist");
            }
            Task child = Task.newBuilder()
                    .setId(TaskIds.childId(parent.getId(), parent.getEpoch(), i))
                    .setName(spec.name())
                    .setCapability(capability)
                    .setPayload(codecs.encode(spec.payload()))
                    .setMaxAttempts(spec.maxAttempts())
                    .setRetryPolicy(spec.backoff() == null ? null : spec.backoff().toAvro())
                    .setTimeoutMs(spec.timeout() == null ? null : spec.timeout().toMillis())
                    .setTag(spec.tag() == null ? parent.getTag() : spec.tag())
                    .setParentId(parent.getId())
                    .setRootId(parent.getRootId() == null ? parent.getId() : parent.getRootId())
                    .setParentStage(parent.getStage())
                    .setParentEpoch(parent.getEpoch())
                    .setCreatedAt(now)
                    .setTraceHeaders(parent.getTraceHeaders())
                    .build();
            childIds.add(child.getId());
            out.add(checked(new ProducerRecord<>(topic, child.getId(), codec.task(topic, child))));
            out.add(checked(event(TaskEvents.created(child, workerId, now))));
        }
        out.add(checked(event(TaskEvents.of(parent, TaskEventType.SUSPENDED, workerId, now)
                .setChildIds(childIds).setChildFailurePolicy(next.policy())
                .setTask(withContext(run, next.context())).build())));
        return out;
    }

    /** A failed attempt: FAILED, then a retry or PERMANENTLY_FAILED plus the dead letter. */
    List<ProducerRecord<String, byte[]>> failed(TaskRun run, Throwable failure) {
        boolean retryable = !(failure instanceof TaskFailure f && f.isNonRetryable());
        String type = failure instanceof TaskFailure f ? f.type() : failure.getClass().getName();
        TaskError error = TaskEvents.error(type, failure, retryable);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        TaskEventType eventType = TaskFailure.TIMEOUT.equals(type) ? TaskEventType.TIMED_OUT : TaskEventType.FAILED;
        out.add(event(TaskEvents.of(run.task, eventType, workerId, clock.instant()).setError(error).build()));
        Duration nextDelay = failure instanceof TaskFailure f ? f.nextDelay().orElse(null) : null;
        out.addAll(afterFailure(run.task, run.record, error, run.options.maxAttempts(), run.options.backoff(), nextDelay));
        return out;
    }

    /**
     * What follows a failed attempt (or a task no handler here can run): with attempts left and a
     * retryable error, the task is re-published as attempt + 1, epoch + 1; otherwise it is
     * permanently failed and dead-lettered with its original bytes.
     */
    List<ProducerRecord<String, byte[]>> afterFailure(Task task, ConsumerRecord<String, byte[]> source, TaskError error,
            int maxAttempts, RetryBackoff backoff, Duration nextDelay) {
        Instant now = clock.instant();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        if (error.getRetryable() && task.getAttempt() < maxAttempts) {
            Duration delay = nextDelay != null ? nextDelay : backoff.delayAfterAttempt(task.getAttempt());
            Task retry = Task.newBuilder(task).setAttempt(task.getAttempt() + 1).setEpoch(task.getEpoch() + 1).build();
            out.add(delayed(retry, delay));
            out.add(event(TaskEvents.of(retry, TaskEventType.RETRY_SCHEDULED, workerId, now)
                    .setError(error).setDueTime(now.plus(delay)).setTask(retry).build()));
            return out;
        }
        out.add(event(TaskEvents.of(task, TaskEventType.PERMANENTLY_FAILED, workerId, now).setError(error).build()));
        out.add(deadLetter(source, error.getType(), error.getType(), error.getMessage(), task.getAttempt()));
        out.add(event(TaskEvents.of(task, TaskEventType.DEAD_LETTERED, workerId, now).setError(error).build()));
        return out;
    }

    /**
     * A task received before its not-before time goes back through the delay tiers (DESIGN §5):
     * same attempt, epoch + 1, RETRY_SCHEDULED with the due time.
     */
    List<ProducerRecord<String, byte[]>> notYet(Task task, Duration wait) {
        Instant now = clock.instant();
        Task again = Task.newBuilder(task).setEpoch(task.getEpoch() + 1).build();
        return List.of(delayed(again, wait), event(TaskEvents.of(again, TaskEventType.RETRY_SCHEDULED, workerId, now)
                .setDueTime(now.plus(wait)).setTask(again).build()));
    }

    /**
     * The task on its way to its capability topic after {@code delay}: in the delay tier that
     * fits, with the target and the delay in headers (the due time is then counted on the
     * broker's clock from the append); at once when there is nothing to wait for.
     */
    ProducerRecord<String, byte[]> delayed(Task task, Duration delay) {
        String target = names.tasks(task.getCapability());
        return DelayedRecords.route(names, tiers, task.getId(), target, codec.task(target, task), delay);
    }

    /** The original record, untouched, with the reason and its origin in headers. */
    ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> source, String reason, String errorClass,
            String message, int attempts) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(names.deadLetter(), null, source.key(), source.value());
        header(r, RecordHeaders.DLT_REASON, reason);
        header(r, RecordHeaders.DLT_ERROR_CLASS, errorClass);
        header(r, RecordHeaders.DLT_ERROR_MESSAGE, message == null ? "" : message);
        header(r, RecordHeaders.DLT_SOURCE_TOPIC, source.topic());
        header(r, RecordHeaders.DLT_SOURCE_PARTITION, Integer.toString(source.partition()));
        header(r, RecordHeaders.DLT_SOURCE_OFFSET, Long.toString(source.offset()));
        header(r, RecordHeaders.DLT_ATTEMPTS, Integer.toString(attempts));
        header(r, RecordHeaders.DLT_TIME, Long.toString(clock.millis()));
        header(r, RecordHeaders.DLT_WORKER, workerId);
        return r;
    }

    private static void header(ProducerRecord<String, byte[]> r, String key, String value) {
        r.headers().add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Task withContext(TaskRun run, byte[] context) {
        Task snapshot = run.snapshot();
        return context == null ? snapshot
                : Task.newBuilder(snapshot).setContext(java.nio.ByteBuffer.wrap(context.clone())).build();
    }

    private ProducerRecord<String, byte[]> checked(ProducerRecord<String, byte[]> record) {
        if (record.value() != null && record.value().length > maxValueBytes) {
            throw TaskFailure.nonRetryable(TaskFailure.PAYLOAD_TOO_LARGE, "a record for " + record.topic() + " is "
                    + record.value().length + " bytes, over the limit of " + maxValueBytes);
        }
        return record;
    }
}
