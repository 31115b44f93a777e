package io.fibflow.topology.internals.http;

import java.util.TreeMap;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's own stores (its partitions only). Standby copies are read only when
 * the caller asked for possibly stale data.
 *
 * <p>Scans go partition by partition: a store spanning several partitions iterates them one
 * after another, not in global key order, so a page of "the first {@code limit} ids" is only
 * right when each partition contributes its own first {@code limit} and the caller merges.
 */
final class LocalStores {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final String stateTopic;
    private final HostInfo self;

    /**
     * @param stateTopic the source topic partitioned like {@code task-state} ({@code task-events});
     *     the instance's metadata lists partitions of every source topic, the join's repartition too
     */
    LocalStores(KafkaStreams streams, String stateTopic, HostInfo self) {
        this.streams = streams;
        this.stateTopic = stateTopic;
        this.self = self;
    }

    <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> p =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        return streams.store(stale ? p.enableStaleStores() : p);
    }

    TaskStateRecord task(String id, boolean stale) {
        ReadOnlyKeyValueStore<String, TaskStateRecord> states = store(FibflowStores.TASK_STATE, stale);
        return states.get(id);
    }

    List<TaskEvent> history(String id, boolean stale) {
        ReadOnlyKeyValueStore<String, TaskEvent> history = store(FibflowStores.HISTORY, stale);
        List<TaskEvent> out = new ArrayList<>();
        try (KeyValueIterator<String, TaskEvent> it = history.prefixScan(FibflowStores.prefix(id), KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /**
     * Local tasks after {@code cursor}, from an index (or every task), filtered: the first
     * {@code limit} ids of each partition this instance holds, so that the caller's merge of every
     * instance's answers, sorted by id and cut at {@code limit}, is the true first page.
     */
    List<TaskStateRecord> list(String index, String value, String cursor, int limit, Predicate<TaskStateRecord> filter,
            boolean stale) {
        List<TaskStateRecord> out = new ArrayList<>();
        for (int partition : partitions(stale).keySet()) {
            ReadOnlyKeyValueStore<String, TaskStateRecord> states = store(FibflowStores.TASK_STATE, stale, partition);
            if (index == null) {
                try (KeyValueIterator<String, TaskStateRecord> it = cursor == null ? states.all()
                        : states.range(cursor + FibflowStores.SEPARATOR, null)) {
                    take(it, kv -> kv.value, limit, filter, out);
                }
            } else {
                ReadOnlyKeyValueStore<String, String> idx = store(index, stale, partition);
                try (KeyValueIterator<String, String> it = idx.prefixScan(FibflowStores.prefix(value), KEYS)) {
                    take(it, kv -> cursor != null && kv.value.compareTo(cursor) <= 0 ? null : states.get(kv.value),
                            limit, filter, out);
                }
            }
        }
        return out;
    }

    private static <V> void take(KeyValueIterator<String, V> it, Function<KeyValue<String, V>, TaskStateRecord> state,
            int limit, Predicate<TaskStateRecord> filter, List<TaskStateRecord> out) {
        int taken = 0;
        while (it.hasNext() && taken < limit) {
            TaskStateRecord s = state.apply(it.next());
            if (s != null && filter.test(s)) {
                out.add(s);
                taken++;
            }
        }
    }

    /** All local tasks under one index value (children of a parent, members of a workflow). */
    List<TaskStateRecord> under(String index, String value, boolean stale) {
        return list(index, value, null, Integer.MAX_VALUE, s -> true, stale);
    }

    /** One partition's task counts by status, and whether this instance holds it as the active copy. */
    record PartitionCounts(int partition, boolean active, Map<String, Long> counts) {
    }

    /**
     * Task counts by status (optionally only for one tag), per partition this instance holds: its
     * active partitions, and with {@code stale} its standby ones too. Counting per partition lets
     * the merge take each partition once, from its active copy when one answered, so a standby
     * never counts a task twice.
     */
    List<PartitionCounts> countsByPartition(String tag, boolean stale) {
        List<PartitionCounts> out = new ArrayList<>();
        partitions(stale).forEach((partition, active) -> {
            Map<String, Long> counts = new TreeMap<>();
            ReadOnlyKeyValueStore<String, TaskStateRecord> states = store(FibflowStores.TASK_STATE, stale, partition);
            if (tag == null) {
                try (KeyValueIterator<String, TaskStateRecord> it = states.all()) {
                    it.forEachRemaining(kv -> counts.merge(kv.value.getStatus().name(), 1L, Long::sum));
                }
            } else {
                ReadOnlyKeyValueStore<String, String> idx = store(FibflowStores.INDEX_TAG, stale, partition);
                try (KeyValueIterator<String, String> it = idx.prefixScan(FibflowStores.prefix(tag), KEYS)) {
                    it.forEachRemaining(kv -> {
                        TaskStateRecord s = states.get(kv.value);
                        if (s != null) {
                            counts.merge(s.getStatus().name(), 1L, Long::sum);
                        }
                    });
                }
            }
            out.add(new PartitionCounts(partition, active, counts));
        });
        return out;
    }

    /**
     * The task-state partitions this instance holds, each marked active or standby: the active
     * ones, and with {@code stale} the standby ones too.
     */
    Map<Integer, Boolean> partitions(boolean stale) {
        StreamsMetadata mine = streams.streamsMetadataForStore(FibflowStores.TASK_STATE).stream()
                .filter(m -> m.hostInfo().equals(self)).findFirst().orElse(null);
        Map<Integer, Boolean> held = new TreeMap<>();
        if (mine == null) {
            return held;
        }
        mine.topicPartitions().stream().filter(tp -> tp.topic().equals(stateTopic))
                .forEach(tp -> held.put(tp.partition(), true));
        if (stale) {
            mine.standbyTopicPartitions().stream().filter(tp -> tp.topic().equals(stateTopic))
                    .forEach(tp -> held.putIfAbsent(tp.partition(), false));
        }
        return held;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean stale, int partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> p =
                StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name,
                        QueryableStoreTypes.keyValueStore()).withPartition(partition);
        return streams.store(stale ? p.enableStaleStores() : p);
    }
}
