package io.fibflow.topology.internals;

import static io.fibflow.avro.TaskEventType.CANCELLED;
import static io.fibflow.avro.TaskEventType.CHECKPOINT;
import static io.fibflow.avro.TaskEventType.CHILDREN_SPAWNED;
import static io.fibflow.avro.TaskEventType.DEAD_LETTERED;
import static io.fibflow.avro.TaskEventType.FAILED;
import static io.fibflow.avro.TaskEventType.PERMANENTLY_FAILED;
import static io.fibflow.avro.TaskEventType.PROGRESS;
import static io.fibflow.avro.TaskEventType.RECOVERED;
import static io.fibflow.avro.TaskEventType.RESUMED;
import static io.fibflow.avro.TaskEventType.RETRY_SCHEDULED;
import static io.fibflow.avro.TaskEventType.STARTED;
import static io.fibflow.avro.TaskEventType.SUCCEEDED;
import static io.fibflow.avro.TaskEventType.SUSPENDED;
import static io.fibflow.avro.TaskEventType.TIMED_OUT;

import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The rows of docs/states.md that start from an existing state, as data: (state, event) → state.
 * Rows 1 and 2 (no state yet) and row 25 (REJECTED, any state) are handled by {@link Transition}.
 */
final class TransitionTable {

    /** Events that are recorded every time they arrive and are never de-duplicated (rule 2, row 25). */
    static final Set<TaskEventType> REPEATABLE = Set.of(PROGRESS, CHECKPOINT, TaskEventType.REJECTED);

    /** Terminal states accept nothing, except PERMANENTLY_FAILED which accepts DEAD_LETTERED and RECOVERED (rule 5). */
    static final Set<TaskStatus> TERMINAL = Set.of(TaskStatus.SUCCEEDED, TaskStatus.CANCELLED, TaskStatus.PERMANENTLY_FAILED);

    private static final Map<TaskStatus, Map<TaskEventType, TaskStatus>> ROWS = new EnumMap<>(TaskStatus.class);

    static {
        row(TaskStatus.PENDING, STARTED, TaskStatus.RUNNING);                          // 3
        row(TaskStatus.PENDING, CANCELLED, TaskStatus.CANCELLED);                      // 4
        row(TaskStatus.PENDING, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED);          // 5
        row(TaskStatus.PENDING, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED);    // 6, 26
        row(TaskStatus.RUNNING, PROGRESS, TaskStatus.RUNNING);                         // 7
        row(TaskStatus.RUNNING, CHECKPOINT, TaskStatus.RUNNING);                       // 8
        row(TaskStatus.RUNNING, SUCCEEDED, TaskStatus.SUCCEEDED);                      // 9
        row(TaskStatus.RUNNING, FAILED, TaskStatus.FAILED);                            // 10
        row(TaskStatus.RUNNING, TIMED_OUT, TaskStatus.TIMED_OUT);                      // 11
        row(TaskStatus.RUNNING, SUSPENDED, TaskStatus.SUSPENDED);                      // 12
        row(TaskStatus.FAILED, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED);           // 13
        row(TaskStatus.TIMED_OUT, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED);        // 13
        row(TaskStatus.FAILED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED);     // 14
        row(TaskStatus.TIMED_OUT, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED);  // 14
        row(TaskStatus.RUNNING, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED);    // 14
        row(TaskStatus.RUNNING, CANCELLED, TaskStatus.CANCELLED);                      // 15
        row(TaskStatus.RUNNING, CHILDREN_SPAWNED, TaskStatus.RUNNING);                 // 16
        row(TaskStatus.RETRY_SCHEDULED, STARTED, TaskStatus.RUNNING);                  // 17
        row(TaskStatus.RETRY_SCHEDULED, CANCELLED, TaskStatus.CANCELLED);              // 18
        row(TaskStatus.RETRY_SCHEDULED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED); // 19
        row(TaskStatus.RETRY_SCHEDULED, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED);  // 27
        row(TaskStatus.SUSPENDED, RESUMED, TaskStatus.PENDING);                        // 20
        row(TaskStatus.SUSPENDED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED);  // 21
        row(TaskStatus.SUSPENDED, CANCELLED, TaskStatus.CANCELLED);                    // 22
        row(TaskStatus.PERMANENTLY_FAILED, DEAD_LETTERED, TaskStatus.PERMANENTLY_FAILED); // 23
        row(TaskStatus.PERMANENTLY_FAILED, RECOVERED, TaskStatus.PENDING);             // 24
    }

    private TransitionTable() {
    }

    /** The state an event leads to, or null when the pair is not in the table. */
    static TaskStatus next(TaskStatus state, TaskEventType event) {
        Map<TaskEventType, TaskStatus> row = ROWS.get(state);
        return row == null ? null : row.get(event);
    }

    private static void row(TaskStatus from, TaskEventType event, TaskStatus to) {
        ROWS.computeIfAbsent(from, s -> new EnumMap<>(TaskEventType.class)).put(event, to);
    }
}
