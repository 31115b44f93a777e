package io.fibflow.topology.internals;

import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The secondary index stores, kept consistent with a task's state on every applied event. */
final class TaskIndexes {

    /** One index: its store and the value a state is indexed under (null: not indexed). */
    private record Index(String store, Function<TaskStateRecord, String> value) {
    }

    private static final List<Index> INDEXES = List.of(
            new Index(FibflowStores.INDEX_STATUS, s -> s.getStatus().name()),
            new Index(FibflowStores.INDEX_NAME, TaskStateRecord::getName),
            new Index(FibflowStores.INDEX_TAG, TaskStateRecord::getTag),
            new Index(FibflowStores.INDEX_PARENT, TaskStateRecord::getParentId),
            new Index(FibflowStores.INDEX_ROOT, s -> s.getRootId() != null ? s.getRootId() : s.getTaskId()));

    private final List<KeyValueStore<String, String>> stores;

    TaskIndexes(ProcessorContext<?, ?> context) {
        this.stores = INDEXES.stream().map(i -> context.<KeyValueStore<String, String>>getStateStore(i.store())).toList();
    }

    static String[] storeNames() {
        return INDEXES.stream().map(Index::store).toArray(String[]::new);
    }

    /** Moves the task's index entries from what {@code before} says to what {@code after} says. */
    void update(TaskStateRecord before, TaskStateRecord after) {
        for (int i = 0; i < INDEXES.size(); i++) {
            Function<TaskStateRecord, String> value = INDEXES.get(i).value();
            String old = before == null ? null : value.apply(before);
            String now = value.apply(after);
            if (Objects.equals(old, now)) {
                continue;
            }
            KeyValueStore<String, String> store = stores.get(i);
            if (old != null) {
                store.delete(FibflowStores.indexKey(old, after.getTaskId()));
            }
            if (now != null) {
                store.put(FibflowStores.indexKey(now, after.getTaskId()), after.getTaskId());
            }
        }
    }
}
