package io.fibflow.api.client;

import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskIds;
import io.fibflow.api.codec.AvroPayloadCodec;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.internals.records.DelayedRecords;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroSerializer;
import io.fibflow.api.topics.DelayTiers;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskCommand;
import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskEvent;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits tasks and commands. Each submission writes the {@link Task} to
 * {@code tasks.<capability>} (or to a delay tier, for a delayed task) and its CREATED event to
 * {@code task-events} in one Kafka transaction, so a task is never visible without its event.
 * Thread-safe; transactions are serialized.
 *
 * <pre>{@code
 * try (TaskClient client = TaskClient.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .schemaRegistryUrl("http://127.0.0.1:8081")
 *         .build()) {
 *     String id = client.submit(TaskSpec.builder("train_model").payload(Map.of("epochs", 10)).capability("gpu").build());
 *     client.cancel(id);
 * }
 * }</pre>
 *
 * <p>Checked before anything is sent: the capability's topic exists ({@code UNKNOWN_CAPABILITY})
 * and the task fits the record-size limit ({@code PAYLOAD_TOO_LARGE}); both throw
 * {@link SubmitRejectedException}.
 */
public final class TaskClient implements AutoCloseable {

    private final TopicPlan plan;
    private final DelayTiers tiers;
    private final String clientId;
    private final Clock clock;
    private final Map<String, Object> kafkaProps;
    private final SchemaRegistryClient registry;
    private final boolean ownsRegistry;
    private final PayloadCodecs codecs;
    private final AvroSerializer<Task> taskSerializer;
    private final AvroSerializer<TaskEvent> eventSerializer;
    private final AvroSerializer<TaskCommand> commandSerializer;
    private final Admin admin;
    private final Object lock = new Object();
    private KafkaProducer<String, byte[]> producer;
    private volatile Set<String> knownTopics = Set.of();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ApiReader api;

    private TaskClient(Builder b) {
        this.plan = b.plan;
        this.tiers = new DelayTiers(b.plan.delayTiers());
        this.clientId = b.clientId;
        this.clock = b.clock;
        this.kafkaProps = new HashMap<>(b.kafka);
        this.ownsRegistry = b.registry == null;
        this.registry = b.registry != null ? b.registry
                : new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(b.registryUrl).build());
        this.codecs = PayloadCodecs.of(new AvroPayloadCodec(registry));
        this.taskSerializer = new AvroSerializer<>(registry);
        this.eventSerializer = new AvroSerializer<>(registry);
        this.commandSerializer = new AvroSerializer<>(registry);
        this.admin = Admin.create(kafkaProps);
        this.producer = newProducer();
        this.api = b.apiUrl == null ? null : new ApiReader(b.apiUrl);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Submits one task; returns its id. */
    public String submit(TaskSpec spec) {
        return submitAll(List.of(spec)).get(0);
    }

    /** Submits {@code name} with {@code payload} to the default pool. */
    public String submit(String name, Object payload) {
        return submit(TaskSpec.of(name, payload));
    }

    /** Submits every task in one transaction: all become visible, or none. */
    public List<String> submitAll(List<TaskSpec> specs) {
        Instant now = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (TaskSpec spec : specs) {
            Task task = toTask(spec, now);
            String target = plan.names().tasks(task.getCapability());
            requireTopic(task.getCapability(), target);
            byte[] value = taskSerializer.serialize(target, task);
            if (value.length > plan.maxValueBytes()) {
                throw new SubmitRejectedException(TaskFailure.PAYLOAD_TOO_LARGE, "task " + spec.name() + " is "
                        + value.length + " bytes serialized, over the limit of " + plan.maxValueBytes() + " bytes");
            }
            Duration wait = task.getNotBefore() == null ? Duration.ZERO
                    : Duration.between(now, task.getNotBefore());
            records.add(DelayedRecords.route(plan.names(), tiers, task.getId(), target, value, wait));
            records.add(new ProducerRecord<>(plan.names().events(), task.getId(),
                    eventSerializer.serialize(plan.names().events(), TaskEvents.created(task, clientId, now))));
            ids.add(task.getId());
        }
        send(records);
        return ids;
    }

    /**
     * Asks for a task to be cancelled (the topology validates it and cascades to children); returns
     * the command id. With an {@code apiUrl} the command goes through the topology's API, which
     * refuses an unknown task or a finished one at once ({@link CommandRefusedException}); without
     * one it is written to task-commands and a refusal shows as a REJECTED event.
     */
    public String cancel(String taskId) {
        return api != null ? api.command(taskId, "cancel", null) : command(taskId, TaskCommandType.CANCEL, null);
    }

    /** Resumes a suspended task at its next stage; returns the command id (refusals as for {@link #cancel}). */
    public String resume(String taskId) {
        return api != null ? api.command(taskId, "resume", null) : command(taskId, TaskCommandType.RESUME, null);
    }

    /**
     * Resumes a suspended task, handing {@code input} to its next stage; returns the command id. A
     * JSON-able input goes through the API when there is one; bytes, Avro records and payloads are
     * written to task-commands directly.
     */
    public String resume(String taskId, Object input) {
        boolean json = !(input instanceof byte[] || input instanceof org.apache.avro.specific.SpecificRecord
                || input instanceof Payload);
        return api != null && json ? api.command(taskId, "resume", JSON.valueToTree(input))
                : command(taskId, TaskCommandType.RESUME, codecs.encode(input));
    }

    /** Re-runs a permanently failed or dead-lettered task with a fresh attempt budget; returns the command id. */
    public String redrive(String taskId) {
        return api != null ? api.command(taskId, "redrive", null) : command(taskId, TaskCommandType.REDRIVE, null);
    }

    /** The task's state from the topology's API (requires {@code apiUrl}); empty when unknown. */
    public java.util.Optional<TaskView> get(String taskId) {
        return api().get(taskId);
    }

    /** Tasks from the topology's API filtered by status, handler name and tag (each may be null), at most {@code limit}. */
    public List<TaskView> list(String status, String name, String tag, int limit) {
        return list(status, name, tag, limit, null).tasks();
    }

    /**
     * One page of tasks in id order after {@code cursor} (null for the first page); pass the page's
     * {@link TaskPage#nextCursor()} to get the next one, until it is null.
     */
    public TaskPage list(String status, String name, String tag, int limit, String cursor) {
        return api().list(status, name, tag, limit, cursor);
    }

    /** Waits until the task is SUCCEEDED, CANCELLED or PERMANENTLY_FAILED (requires {@code apiUrl}). */
    public TaskView awaitTerminal(String taskId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            java.util.Optional<TaskView> view;
            try {
                view = api().get(taskId);
            } catch (ApiReader.UnavailableException notYet) {
                view = java.util.Optional.empty();
            }
            if (view.isPresent() && view.get().isTerminal()) {
                return view.get();
            }
            if (System.nanoTime() > deadline) {
                throw new TaskNotFinishedException("task " + taskId + " not finished within " + timeout
                        + (view.isPresent() ? "; it is " + view.get().status() : "; the API does not know it yet"));
            }
            Thread.sleep(50); // polling the API with a deadline
        }
    }

    private ApiReader api() {
        if (api == null) {
            throw new IllegalStateException("reading task state needs the topology API: set apiUrl on the TaskClient builder");
        }
        return api;
    }

    private String command(String taskId, TaskCommandType type, Payload payload) {
        Objects.requireNonNull(taskId, "taskId");
        TaskCommand command = TaskCommand.newBuilder().setCommandId(TaskIds.newTaskId()).setTaskId(taskId)
                .setType(type).setTime(clock.instant()).setRequestedBy(clientId).setPayload(payload).build();
        send(List.of(new ProducerRecord<>(plan.names().commands(), taskId,
                commandSerializer.serialize(plan.names().commands(), command))));
        return command.getCommandId();
    }

    private Task toTask(TaskSpec spec, Instant now) {
        Object p = spec.payload();
        Payload payload = p instanceof Payload ready ? ready : codecs.encode(p);
        Instant notBefore = spec.notBefore() != null ? spec.notBefore()
                : spec.delay() != null && !spec.delay().isZero() ? now.plus(spec.delay()) : null;
        return Task.newBuilder()
                .setId(spec.idempotencyKey() == null ? TaskIds.newTaskId() : TaskIds.idempotentId(spec.idempotencyKey()))
                .setName(spec.name())
                .setCapability(spec.capability())
                .setPayload(payload)
                .setMaxAttempts(spec.maxAttempts())
                .setRetryPolicy(spec.backoff() == null ? null : spec.backoff().toAvro())
                .setTimeoutMs(spec.timeout() == null ? null : spec.timeout().toMillis())
                .setPriority(spec.priority())
                .setTag(spec.tag())
                .setIdempotencyKey(spec.idempotencyKey())
                .setCreatedAt(now)
                .setNotBefore(notBefore)
                .setContext(spec.context() == null ? null : ByteBuffer.wrap(spec.context()))
                .setTraceHeaders(spec.traceHeaders())
                .build();
    }

    private void requireTopic(String capability, String topic) {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            knownTopics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new SubmitFailedException("could not list topics to check capability '" + capability + "'", e);
        }
        if (!knownTopics.contains(topic)) {
            throw new SubmitRejectedException(TaskFailure.UNKNOWN_CAPABILITY, "capability '" + capability
                    + "' has no topic " + topic + "; create it with the topic plan (fibflow topics create) "
                    + "or submit to an existing pool");
        }
    }

    private void send(List<ProducerRecord<String, byte[]>> records) {
        synchronized (lock) {
            try {
                producer.beginTransaction();
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(r);
                }
                producer.commitTransaction();
            } catch (ProducerFencedException fenced) {
                producer.close(Duration.ZERO);
                producer = newProducer();
                throw new SubmitFailedException("the client's producer was fenced; nothing was submitted", fenced);
            } catch (KafkaException e) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException abortFailed) {
                    producer.close(Duration.ZERO);
                    producer = newProducer();
                }
                throw new SubmitFailedException("submission failed; nothing was submitted: " + e.getMessage(), e);
            }
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> props = new HashMap<>(kafkaProps);
        props.putAll(plan.producerOverrides());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fibflow-client-" + UUID.randomUUID());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        p.initTransactions();
        return p;
    }

    @Override
    public void close() {
        synchronized (lock) {
            producer.close(Duration.ofSeconds(10));
        }
        admin.close(Duration.ofSeconds(5));
        if (ownsRegistry) {
            try {
                registry.close();
            } catch (Exception ignored) {
                // closing an HTTP client
            }
        }
    }

    /** Builds a {@link TaskClient}; bootstrap servers and a registry are required. */
    public static final class Builder {
        private final Map<String, Object> kafka = new HashMap<>();
        private String registryUrl;
        private SchemaRegistryClient registry;
        private TopicPlan plan = TopicPlan.defaults();
        private String clientId = "fibflow-client";
        private Clock clock = Clock.systemUTC();
        private String apiUrl;

        private Builder() {
        }

        /** The topology's API base URL (e.g. {@code http://127.0.0.1:8080/api/v1}), for get/list/awaitTerminal. */
        public Builder apiUrl(String url) {
            this.apiUrl = Objects.requireNonNull(url, "apiUrl");
            return this;
        }

        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port], got '" + servers + "'");
            }
            kafka.put("bootstrap.servers", servers);
            return this;
        }

        public Builder schemaRegistryUrl(String url) {
            this.registryUrl = Objects.requireNonNull(url, "schemaRegistryUrl");
            return this;
        }

        /** A registry client to use (the caller closes it). */
        public Builder registryClient(SchemaRegistryClient client) {
            this.registry = Objects.requireNonNull(client, "registryClient");
            return this;
        }

        public Builder topicPlan(TopicPlan plan) {
            this.plan = Objects.requireNonNull(plan, "topicPlan");
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** Any Kafka client setting (security, timeouts), passed to the producer and the admin client. */
        public Builder kafkaProperty(String key, Object value) {
            kafka.put(key, value);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TaskClient build() {
            if (!kafka.containsKey("bootstrap.servers")) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            if (registry == null && registryUrl == null) {
                throw new IllegalArgumentException("schemaRegistryUrl or registryClient is required");
            }
            return new TaskClient(this);
        }
    }
}
