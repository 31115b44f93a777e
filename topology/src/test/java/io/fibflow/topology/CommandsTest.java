package io.fibflow.topology;

import static io.fibflow.topology.Events.created;
import static io.fibflow.topology.Events.started;
import static io.fibflow.topology.Events.succeeded;
import static io.fibflow.topology.Events.suspended;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskIds;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskCommand;
import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands validated against the state, in a TopologyTestDriver. */
class CommandsTest {

    private static final TopicPlan PLAN = TopicPlan.builder().eventPartitions(3).maxRecordBytes(64 * 1024).build();

    @TempDir
    Path stateDir;

    private TopologyFixture f;

    @BeforeEach
    void start() {
        f = new TopologyFixture(stateDir, PLAN, 20);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void shouldResumeASuspendedTaskAtItsNextStage() {
        Task t = Events.task(TaskIds.newTaskId(), "approval").build();
        f.pipe(created(t), started(t), Events.event(t.getId(), TaskEventType.SUSPENDED, 0).setTask(t)
                .setSuspendReason("waiting for approval").build());
        assertEquals(TaskStatus.SUSPENDED, f.state(t.getId()).getStatus());
        command(t.getId(), TaskCommandType.RESUME);
        Task resumed = f.tasks.readValue();
        assertEquals(1, resumed.getStage());
        assertEquals(1L, resumed.getEpoch());
        assertEquals(TaskStatus.PENDING, f.state(t.getId()).getStatus());
        assertEquals(1, f.emitted(t.getId(), TaskEventType.RESUMED).size());
    }

    @Test
    void shouldCancelAPendingTaskAndRecordTheCancellation() {
        Task t = Events.task(TaskIds.newTaskId(), "work").build();
        f.pipe(created(t));
        String commandId = command(t.getId(), TaskCommandType.CANCEL);
        assertEquals(TaskStatus.CANCELLED, f.state(t.getId()).getStatus());
        TaskCommand marker = f.cancellations.readValue();
        assertEquals(t.getId(), marker.getTaskId());
        assertEquals(commandId, f.emitted(t.getId(), TaskEventType.CANCELLED).get(0).getCommandId());
    }

    @Test
    void shouldCascadeACancelToTheUnfinishedChildren() {
        Task parent = Events.task(TaskIds.newTaskId(), "parent").build();
        Task done = Events.child(TaskIds.childId(parent.getId(), 0, 0), "c", parent).build();
        Task running = Events.child(TaskIds.childId(parent.getId(), 0, 1), "c", parent).build();
        f.pipe(created(parent), started(parent), created(done), created(running),
                suspended(parent, List.of(done.getId(), running.getId()), ChildFailurePolicy.FAIL_PARENT),
                started(done), succeeded(done, "ok"), started(running));
        command(parent.getId(), TaskCommandType.CANCEL);
        assertEquals(TaskStatus.CANCELLED, f.state(parent.getId()).getStatus());
        assertEquals(TaskStatus.CANCELLED, f.state(running.getId()).getStatus(), "cascaded to the running child");
        assertEquals(TaskStatus.SUCCEEDED, f.state(done.getId()).getStatus(), "a finished child stays as it is");
        assertEquals(0, f.emitted(done.getId(), TaskEventType.REJECTED).size(), "cascades do not reject finished children");
        List<String> cancelled = f.cancellations.readValuesToList().stream().map(TaskCommand::getTaskId).toList();
        assertEquals(List.of(parent.getId(), running.getId()), cancelled);
        assertEquals(0, f.emitted(parent.getId(), TaskEventType.PERMANENTLY_FAILED).size(),
                "the cancelled child does not fail the cancelled parent's stage");
    }

    @Test
    void shouldNotResumeACancelledParentWhenItsToleratedChildrenFinish() {
        Task parent = Events.task(TaskIds.newTaskId(), "parent").build();
        Task child = Events.child(TaskIds.childId(parent.getId(), 0, 0), "c", parent).build();
        f.pipe(created(parent), started(parent), created(child),
                suspended(parent, List.of(child.getId()), ChildFailurePolicy.TOLERATE), started(child));
        command(parent.getId(), TaskCommandType.CANCEL);
        f.pipe(succeeded(child, "late"));   // a child that finished all the same
        assertEquals(TaskStatus.CANCELLED, f.state(parent.getId()).getStatus());
        assertTrue(f.tasks.isEmpty(), "the cancelled parent is not re-published to its pool");
        assertEquals(0, f.emitted(parent.getId(), TaskEventType.RESUMED).size());
    }

    @Test
    void shouldRedriveAPermanentlyFailedTaskWithAFreshAttemptBudget() {
        Task t = Events.task(TaskIds.newTaskId(), "work").setAttempt(3).build();
        f.pipe(created(t), started(t), Events.permanentlyFailed(t, Events.error("Boom", "boom", null)));
        command(t.getId(), TaskCommandType.REDRIVE);
        Task again = f.tasks.readValue();
        assertEquals(1, again.getAttempt());
        assertEquals(1L, again.getEpoch());
        assertEquals(TaskStatus.PENDING, f.state(t.getId()).getStatus());
        assertEquals(1, f.emitted(t.getId(), TaskEventType.RECOVERED).size());
    }

    @Test
    void shouldRejectInvalidCommandsWithTheirReason() {
        Task t = Events.task(TaskIds.newTaskId(), "work").build();
        f.pipe(created(t), started(t), succeeded(t, "done"));
        String cancel = command(t.getId(), TaskCommandType.CANCEL);
        command(t.getId(), TaskCommandType.RESUME);
        command("no-such-task", TaskCommandType.REDRIVE);
        List<TaskEvent> rejected = f.emitted(t.getId(), TaskEventType.REJECTED);
        assertEquals(2, rejected.size());
        assertEquals(cancel, rejected.get(0).getCommandId());
        assertTrue(rejected.get(0).getError().getMessage().contains("is SUCCEEDED; cancel needs PENDING"),
                rejected.get(0).getError().getMessage());
        assertTrue(rejected.get(1).getError().getMessage().contains("resume needs SUSPENDED"));
        assertTrue(f.emitted("no-such-task", TaskEventType.REJECTED).get(0).getError().getMessage()
                .contains("unknown task"));
        assertEquals(TaskStatus.SUCCEEDED, f.state(t.getId()).getStatus(), "a rejection changes nothing");
        assertTrue(f.tasks.isEmpty());
    }

    private String command(String taskId, TaskCommandType type) {
        TaskCommand c = TaskCommand.newBuilder().setCommandId(TaskIds.newTaskId()).setTaskId(taskId).setType(type)
                .setTime(Instant.parse("2026-01-01T00:01:00Z")).setRequestedBy("test").build();
        f.commands.pipeInput(taskId, c, c.getTime());
        return c.getCommandId();
    }
}
