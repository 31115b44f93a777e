package io.fibflow.topology;

import java.util.List;

/**
 * Names and key layouts of the topology's state stores, for interactive queries.
 *
 * <p>All keys are strings. Index and history keys are {@code <value>\u0000<taskId>} and
 * {@code <taskId>\u0000<sequence, 19 digits>}, so a prefix scan with {@link #prefix(String)}
 * lists one index value, or one task's history oldest first.
 */
public final class FibflowStores {

    /** Task id → {@code TaskStateRecord}. */
    public static final String TASK_STATE = "task-state";
    /** {@code <status>\0<taskId>} → task id. */
    public static final String INDEX_STATUS = "task-index-status";
    /** {@code <handler name>\0<taskId>} → task id. */
    public static final String INDEX_NAME = "task-index-name";
    /** {@code <tag>\0<taskId>} → task id (tasks without a tag are not indexed). */
    public static final String INDEX_TAG = "task-index-tag";
    /** {@code <parentId>\0<taskId>} → task id (children only). */
    public static final String INDEX_PARENT = "task-index-parent";
    /** {@code <rootId>\0<taskId>} → task id; a task without a root id is indexed under its own id. */
    public static final String INDEX_ROOT = "task-index-root";
    /** {@code <taskId>\0<sequence>} → {@code TaskEvent}: the last N applied events of each task. */
    public static final String HISTORY = "task-history";
    /** The parent/child join: header, snapshot and child rows per (parent, parent epoch). */
    public static final String PARENT_JOIN = "parent-join";

    /** The five secondary indexes. */
    public static final List<String> INDEXES = List.of(INDEX_STATUS, INDEX_NAME, INDEX_TAG, INDEX_PARENT, INDEX_ROOT);

    /** Separates the parts of a composite key; it sorts before every printable character. */
    public static final char SEPARATOR = '\u0000';

    private FibflowStores() {
    }

    /** The key of one entry of an index store. */
    public static String indexKey(String value, String taskId) {
        return value + SEPARATOR + taskId;
    }

    /** The prefix that scans all entries of one index value, or one task's history. */
    public static String prefix(String valueOrTaskId) {
        return valueOrTaskId + SEPARATOR;
    }

    /** The key of one history entry; sequences are zero-padded so that keys sort in order. */
    public static String historyKey(String taskId, long sequence) {
        return taskId + SEPARATOR + String.format("%019d", sequence);
    }
}
