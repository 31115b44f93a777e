package io.fibflow.topology.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskStatus;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one rule of which command each status allows, status by status. */
class CommandRulesTest {

    @Test
    void shouldAllowEachCommandExactlyInItsStatuses() {
        check(TaskCommandType.RESUME, EnumSet.of(TaskStatus.SUSPENDED));
        check(TaskCommandType.CANCEL, EnumSet.of(TaskStatus.PENDING, TaskStatus.SUSPENDED, TaskStatus.RETRY_SCHEDULED,
                TaskStatus.RUNNING));
        check(TaskCommandType.REDRIVE, EnumSet.of(TaskStatus.PERMANENTLY_FAILED));
    }

    @Test
    void shouldNameTheTaskItsStatusAndWhatTheCommandNeedsWhenRefusing() {
        assertEquals("task t1 is SUCCEEDED; resume needs SUSPENDED",
                CommandRules.refusal(TaskCommandType.RESUME, TaskStatus.SUCCEEDED, "t1").orElseThrow());
        assertTrue(CommandRules.refusal(TaskCommandType.UNKNOWN, TaskStatus.PENDING, "t1").orElseThrow()
                .contains("not a command this topology knows"));
    }

    private static void check(TaskCommandType type, Set<TaskStatus> allowed) {
        for (TaskStatus status : TaskStatus.values()) {
            assertEquals(!allowed.contains(status), CommandRules.refusal(type, status, "t").isPresent(), type + " in " + status);
        }
    }
}
