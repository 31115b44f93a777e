package io.fibflow.examples;

import io.fibflow.api.ChildOutcome;
import io.fibflow.api.TaskContext;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.Payload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A hand-built {@link TaskContext} for unit-testing handlers without a worker. */
final class FakeContext implements TaskContext {

    static final PayloadCodecs CODECS = PayloadCodecs.defaults();

    private final Payload payload;
    private final int stage;
    private final int attempt;
    private final List<ChildResult> children;
    final List<String> progress = new ArrayList<>();

    FakeContext(Object payload, int stage, int attempt, List<ChildResult> children) {
        this.payload = CODECS.encode(payload);
        this.stage = stage;
        this.attempt = attempt;
        this.children = children;
    }

    static FakeContext of(Object payload) {
        return new FakeContext(payload, 0, 1, List.of());
    }

    @Override
    public String taskId() {
        return "t-1";
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String capability() {
        return "default";
    }

    @Override
    public int stage() {
        return stage;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public Optional<String> parentId() {
        return Optional.empty();
    }

    @Override
    public String rootId() {
        return "t-1";
    }

    @Override
    public Optional<String> tag() {
        return Optional.empty();
    }

    @Override
    public <T> T payload(Class<T> type) {
        return CODECS.decode(payload, type);
    }

    @Override
    public Payload rawPayload() {
        return payload;
    }

    @Override
    public Optional<byte[]> context() {
        return Optional.empty();
    }

    @Override
    public List<ChildOutcome> childResults() {
        return children.stream().map(c -> new ChildOutcome(c, CODECS)).toList();
    }

    @Override
    public Instant deadline() {
        return Instant.now().plusSeconds(60);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void progress(double percent, String text) {
        progress.add(percent + " " + text);
    }

    @Override
    public void checkpoint(byte[] context) {
    }

    @Override
    public String workerId() {
        return "test-worker";
    }
}
