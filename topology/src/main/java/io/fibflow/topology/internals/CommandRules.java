package io.fibflow.topology.internals;

import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskStatus;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which command a task's status allows (DESIGN §6): the one rule that both the topology's command
 * processor (the authority, applied in order on the task's partition) and the HTTP API's early
 * answer (409 before anything is written) apply.
 */
public final class CommandRules {

    static final Set<TaskStatus> CANCELLABLE = EnumSet.of(TaskStatus.PENDING, TaskStatus.SUSPENDED,
            TaskStatus.RETRY_SCHEDULED, TaskStatus.RUNNING);

    private CommandRules() {
    }

    /** Why {@code type} cannot be applied to task {@code taskId} in {@code status}, or empty when it can. */
    public static Optional<String> refusal(TaskCommandType type, TaskStatus status, String taskId) {
        String needs = switch (type) {
            case RESUME -> status == TaskStatus.SUSPENDED ? null : "resume needs SUSPENDED";
            case CANCEL -> CANCELLABLE.contains(status) ? null
                    : "cancel needs PENDING, SUSPENDED, RETRY_SCHEDULED or RUNNING";
            case REDRIVE -> status == TaskStatus.PERMANENTLY_FAILED ? null : "redrive needs PERMANENTLY_FAILED (dead-lettered)";
            default -> null;
        };
        if (type != TaskCommandType.RESUME && type != TaskCommandType.CANCEL && type != TaskCommandType.REDRIVE) {
            return Optional.of(type + " is not a command this topology knows (RESUME, CANCEL, REDRIVE)");
        }
        return needs == null ? Optional.empty() : Optional.of("task " + taskId + " is " + status + "; " + needs);
    }
}
