package io.fibflow.topology;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.internals.RocksDbMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A TopologyTestDriver around the fibflow topology, with plain Avro serdes. */
final class TopologyFixture implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, TaskEvent> events;
    final TestOutputTopic<String, Task> tasks;
    final TestOutputTopic<String, TaskEvent> emitted;
    final TestInputTopic<String, io.fibflow.avro.TaskCommand> commands;
    final TestOutputTopic<String, io.fibflow.avro.TaskCommand> cancellations;
    private final List<TaskEvent> emittedSoFar = new ArrayList<>();

    TopologyFixture(Path stateDir, TopicPlan plan, int historySize) {
        TopologySettings settings = TopologySettings.builder().plan(plan).historySize(historySize).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fibflow-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class);
        props.put(RocksDbMemory.CACHE_BYTES, Long.toString(8L * 1024 * 1024));
        driver = new TopologyTestDriver(FibflowTopology.build(settings, PlainAvroSerde.FACTORY), props);
        PlainAvroSerde<TaskEvent> eventSerde = new PlainAvroSerde<>(TaskEvent.class);
        events = driver.createInputTopic(plan.names().events(), new StringSerializer(), eventSerde.serializer());
        tasks = driver.createOutputTopic(plan.names().tasks("default"), new StringDeserializer(),
                new PlainAvroSerde<>(Task.class).deserializer());
        emitted = driver.createOutputTopic(plan.names().events(), new StringDeserializer(), eventSerde.deserializer());
        PlainAvroSerde<io.fibflow.avro.TaskCommand> commandSerde = new PlainAvroSerde<>(io.fibflow.avro.TaskCommand.class);
        commands = driver.createInputTopic(plan.names().commands(), new StringSerializer(), commandSerde.serializer());
        cancellations = driver.createOutputTopic(plan.names().cancellations(), new StringDeserializer(),
                commandSerde.deserializer());
    }

    void pipe(TaskEvent... records) {
        for (TaskEvent e : records) {
            events.pipeInput(e.getTaskId(), e, e.getTime());
        }
    }

    /** The events the topology itself wrote to task-events so far. */
    List<TaskEvent> emitted() {
        emittedSoFar.addAll(emitted.readValuesToList());
        return emittedSoFar;
    }

    List<TaskEvent> emitted(String taskId, TaskEventType type) {
        return emitted().stream().filter(e -> e.getTaskId().equals(taskId) && e.getType() == type).toList();
    }

    TaskStateRecord state(String taskId) {
        KeyValueStore<String, TaskStateRecord> store = driver.getKeyValueStore(FibflowStores.TASK_STATE);
        return store.get(taskId);
    }

    /** Task ids under one value of an index store. */
    List<String> index(String store, String value) {
        KeyValueStore<String, String> index = driver.getKeyValueStore(store);
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.prefixScan(FibflowStores.prefix(value), new StringSerializer())) {
            it.forEachRemaining(kv -> ids.add(kv.value));
        }
        return ids;
    }

    List<TaskEvent> history(String taskId) {
        KeyValueStore<String, TaskEvent> history = driver.getKeyValueStore(FibflowStores.HISTORY);
        List<TaskEvent> out = new ArrayList<>();
        try (KeyValueIterator<String, TaskEvent> it = history.prefixScan(FibflowStores.prefix(taskId), new StringSerializer())) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /** Rows left in the parent-join store. */
    List<String> joinKeys() {
        KeyValueStore<String, Object> join = driver.getKeyValueStore(FibflowStores.PARENT_JOIN);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> it = join.all()) {
            it.forEachRemaining((KeyValue<String, Object> kv) -> keys.add(kv.key));
        }
        return keys;
    }

    @Override
    public void close() {
        driver.close();
    }
}
