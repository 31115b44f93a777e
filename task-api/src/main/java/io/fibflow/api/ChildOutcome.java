package io.fibflow.api;

import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskStatus;
import java.util.Optional;

/** One child's final status, result and error, as its resumed parent sees it. */
public final class ChildOutcome {

    private final ChildResult result;
    private final PayloadCodecs codecs;

    public ChildOutcome(ChildResult result, PayloadCodecs codecs) {
        this.result = result;
        this.codecs = codecs;
    }

    public String childId() {
        return result.getChildId();
    }

    public String name() {
        return result.getName();
    }

    public TaskStatus status() {
        return result.getStatus();
    }

    public boolean succeeded() {
        return result.getStatus() == TaskStatus.SUCCEEDED;
    }

    public int index() {
        return result.getIndex();
    }

    /** The child's result decoded as {@code type}, or null when it has none. */
    public <T> T result(Class<T> type) {
        return codecs.decode(result.getResultPayload(), type);
    }

    public Optional<TaskError> error() {
        return Optional.ofNullable(result.getError());
    }

    public ChildResult raw() {
        return result;
    }
}
