package io.fibflow.topology.internals.http;

import java.util.TreeMap;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's own stores (its partitions only). Standby copies are read only when
 * the caller asked for possibly stale data.
 */
final class LocalStores {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;

    LocalStores(KafkaStreams streams) {
        this.streams = streams;
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

    /** Local tasks in id order after {@code cursor}, from an index (or every task), filtered, at most {@code limit}. */
    List<TaskStateRecord> list(String index, String value, String cursor, int limit, Predicate<TaskStateRecord> filter,
            boolean stale) {
        ReadOnlyKeyValueStore<String, TaskStateRecord> states = store(FibflowStores.TASK_STATE, stale);
        List<TaskStateRecord> out = new ArrayList<>();
        if (index == null) {
            try (KeyValueIterator<String, TaskStateRecord> it = cursor == null ? states.all()
                    : states.range(cursor + FibflowStores.SEPARATOR, null)) {
                while (it.hasNext() && out.size() < limit) {
                    TaskStateRecord s = it.next().value;
                    if (filter.test(s)) {
                        out.add(s);
                    }
                }
            }
            return out;
        }
        ReadOnlyKeyValueStore<String, String> idx = store(index, stale);
        try (KeyValueIterator<String, String> it = idx.prefixScan(FibflowStores.prefix(value), KEYS)) {
            while (it.hasNext() && out.size() < limit) {
                String id = it.next().value;
                if (cursor != null && id.compareTo(cursor) <= 0) {
                    continue;
                }
                TaskStateRecord s = states.get(id);
                if (s != null && filter.test(s)) {
                    out.add(s);
                }
            }
        }
        return out;
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
    List<PartitionCounts> countsByPartition(String tag, boolean stale, HostInfo self) {
        StreamsMetadata mine = streams.streamsMetadataForStore(FibflowStores.TASK_STATE).stream()
                .filter(m -> m.hostInfo().equals(self)).findFirst().orElse(null);
        if (mine == null) {
            return List.of();
        }
        Map<Integer, Boolean> held = new TreeMap<>();
        mine.topicPartitions().forEach(tp -> held.put(tp.partition(), true));
        if (stale) {
            mine.standbyTopicPartitions().forEach(tp -> held.putIfAbsent(tp.partition(), false));
        }
        List<PartitionCounts> out = new ArrayList<>();
        held.forEach((partition, active) -> {
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

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean stale, int partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> p =
                StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name,
                        QueryableStoreTypes.keyValueStore()).withPartition(partition);
        return streams.store(stale ? p.enableStaleStores() : p);
    }
}
