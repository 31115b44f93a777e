package io.fibflow.topology;

import io.fibflow.api.topics.TopicNames;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskCommand;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.store.ParentJoinRow;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.internals.CommandProcessor;
import io.fibflow.topology.internals.ParentJoinProcessor;
import io.fibflow.topology.internals.StageCompletion;
import io.fibflow.topology.internals.TaskStateProcessor;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the fibflow Kafka Streams topology (DESIGN §6).
 *
 * <pre>
 *  task-events ──▶ task-state fold ──(SUSPENDED with children, child terminal events; key = parent id)──▶
 *                  │ task-state, indexes, history       repartition "parent-join" (event partition count)
 *                  ▼                                                      │
 *                                                           parent-join ──┴──▶ tasks.&lt;capability&gt; (resumed parent)
 *                                                                        └──▶ task-events (RESUMED / PERMANENTLY_FAILED)
 * </pre>
 *
 * <pre>{@code
 * Topology topology = FibflowTopology.build(settings, serdes);
 * }</pre>
 */
public final class FibflowTopology {

    /** Name of the repartition that keys the join input by parent id. */
    public static final String JOIN_REPARTITION = "parent-join";

    private FibflowTopology() {
    }

    public static Topology build(TopologySettings settings, SerdeFactory serdes) {
        TopicPlan plan = settings.plan();
        TopicNames names = plan.names();
        Serde<String> keys = Serdes.String();
        Serde<TaskEvent> eventSerde = serdes.serde(TaskEvent.class);
        Serde<Task> taskSerde = serdes.serde(Task.class);
        // A state holds a Task snapshot and a result, each up to the record limit.
        Map<String, String> bigChangelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(changelogMaxBytes(plan)));
        Map<String, String> changelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(plan.maxRecordBytes()));

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(FibflowStores.TASK_STATE, keys, serdes.serde(TaskStateRecord.class), bigChangelog));
        builder.addStateStore(store(FibflowStores.HISTORY, keys, eventSerde, changelog));
        for (String index : FibflowStores.INDEXES) {
            builder.addStateStore(store(index, keys, Serdes.String(), changelog));
        }
        builder.addStateStore(store(FibflowStores.PARENT_JOIN, keys, serdes.serde(ParentJoinRow.class), changelog));

        int historySize = settings.historySize();
        KStream<String, TaskEvent> joinInput = builder
                .stream(names.events(), Consumed.with(keys, eventSerde).withName("task-events-source"))
                .process(() -> new TaskStateProcessor(historySize), TaskStateProcessor.storeNames());

        KStream<String, SpecificRecord> joined = joinInput
                .repartition(Repartitioned.<String, TaskEvent>as(JOIN_REPARTITION)
                        .withKeySerde(keys)
                        .withValueSerde(eventSerde)
                        .withNumberOfPartitions(plan.eventPartitions()))
                .process(() -> new ParentJoinProcessor(new StageCompletion(names, taskSerde.serializer(),
                        eventSerde.serializer(), plan.maxValueBytes())), FibflowStores.PARENT_JOIN);

        // Commands read task-state, so they share its sub-topology: task-commands is co-partitioned with task-events.
        KStream<String, SpecificRecord> commanded = builder
                .stream(names.commands(), Consumed.with(keys, serdes.serde(TaskCommand.class)).withName("task-commands-source"))
                .process(CommandProcessor::new, FibflowStores.TASK_STATE);

        KStream<String, SpecificRecord> outputs = joined.merge(commanded);
        outputs.filter((k, v) -> v instanceof Task)
                .mapValues(v -> (Task) v)
                .to((k, task, ctx) -> names.tasks(task.getCapability()), Produced.with(keys, taskSerde));
        outputs.filter((k, v) -> v instanceof TaskEvent)
                .mapValues(v -> (TaskEvent) v)
                .to(names.events(), Produced.with(keys, eventSerde));
        Serde<TaskCommand> commandSerde = serdes.serde(TaskCommand.class);
        KStream<String, TaskCommand> commands = outputs.filter((k, v) -> v instanceof TaskCommand).mapValues(v -> (TaskCommand) v);
        commands.filter((k, c) -> CommandProcessor.ROUTE_CANCELLATIONS.equals(c.getMetadata().get(CommandProcessor.ROUTE)))
                .to(names.cancellations(), Produced.with(keys, commandSerde));
        commands.filter((k, c) -> !CommandProcessor.ROUTE_CANCELLATIONS.equals(c.getMetadata().get(CommandProcessor.ROUTE)))
                .to(names.commands(), Produced.with(keys, commandSerde));
        return builder.build();
    }

    /** The changelog limit of the task-state store, and so of the Streams producer's requests. */
    static int changelogMaxBytes(TopicPlan plan) {
        return 3 * plan.maxRecordBytes();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<String> keys, Serde<V> values,
                                                                    Map<String, String> changelogConfig) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values)
                .withLoggingEnabled(changelogConfig);
    }
}
