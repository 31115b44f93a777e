package io.fibflow.topology.internals.http;

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

    /** Local task counts by status, optionally only for one tag. */
    Map<TaskStatus, Long> counts(String tag, boolean stale) {
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        List<TaskStateRecord> tasks = tag == null ? list(null, null, null, Integer.MAX_VALUE, s -> true, stale)
                : under(FibflowStores.INDEX_TAG, tag, stale);
        for (TaskStateRecord s : tasks) {
            counts.merge(s.getStatus(), 1L, Long::sum);
        }
        return counts;
    }
}
