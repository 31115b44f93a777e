package io.fibflow.topology.internals;

import static io.fibflow.avro.TaskEventType.CANCELLED;
import static io.fibflow.avro.TaskEventType.CHECKPOINT;
import static io.fibflow.avro.TaskEventType.CHILDREN_SPAWNED;
import static io.fibflow.avro.TaskEventType.CREATED;
import static io.fibflow.avro.TaskEventType.DEAD_LETTERED;
import static io.fibflow.avro.TaskEventType.FAILED;
import static io.fibflow.avro.TaskEventType.PAUSED;
import static io.fibflow.avro.TaskEventType.PERMANENTLY_FAILED;
import static io.fibflow.avro.TaskEventType.PROGRESS;
import static io.fibflow.avro.TaskEventType.RECOVERED;
import static io.fibflow.avro.TaskEventType.REJECTED;
import static io.fibflow.avro.TaskEventType.RESUMED;
import static io.fibflow.avro.TaskEventType.RETRY_SCHEDULED;
import static io.fibflow.avro.TaskEventType.STARTED;
import static io.fibflow.avro.TaskEventType.SUCCEEDED;
import static io.fibflow.avro.TaskEventType.SUSPENDED;
import static io.fibflow.avro.TaskEventType.TIMED_OUT;
import static io.fibflow.avro.TaskEventType.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.Progress;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/states.md, row by row, and its rules 1-5. */
class TransitionTest {

    private static final String ID = "task-1";
    private static final long EPOCH = 3;

    /** One case per row: (row, state or null for none, event, state after). */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(1, null, CREATED, TaskStatus.PENDING),
                Arguments.of(2, null, STARTED, TaskStatus.RUNNING),
                Arguments.of(3, TaskStatus.PENDING, STARTED, TaskStatus.RUNNING),
                Arguments.of(4, TaskStatus.PENDING, CANCELLED, TaskStatus.CANCELLED),
                Arguments.of(5, TaskStatus.PENDING, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED),
                Arguments.of(6, TaskStatus.PENDING, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(7, TaskStatus.RUNNING, PROGRESS, TaskStatus.RUNNING),
                Arguments.of(8, TaskStatus.RUNNING, CHECKPOINT, TaskStatus.RUNNING),
                Arguments.of(9, TaskStatus.RUNNING, SUCCEEDED, TaskStatus.SUCCEEDED),
                Arguments.of(10, TaskStatus.RUNNING, FAILED, TaskStatus.FAILED),
                Arguments.of(11, TaskStatus.RUNNING, TIMED_OUT, TaskStatus.TIMED_OUT),
                Arguments.of(12, TaskStatus.RUNNING, SUSPENDED, TaskStatus.SUSPENDED),
                Arguments.of(13, TaskStatus.FAILED, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED),
                Arguments.of(13, TaskStatus.TIMED_OUT, RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED),
                Arguments.of(14, TaskStatus.FAILED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(14, TaskStatus.TIMED_OUT, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(14, TaskStatus.RUNNING, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(15, TaskStatus.RUNNING, CANCELLED, TaskStatus.CANCELLED),
                Arguments.of(16, TaskStatus.RUNNING, CHILDREN_SPAWNED, TaskStatus.RUNNING),
                Arguments.of(17, TaskStatus.RETRY_SCHEDULED, STARTED, TaskStatus.RUNNING),
                Arguments.of(18, TaskStatus.RETRY_SCHEDULED, CANCELLED, TaskStatus.CANCELLED),
                Arguments.of(19, TaskStatus.RETRY_SCHEDULED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(20, TaskStatus.SUSPENDED, RESUMED, TaskStatus.PENDING),
                Arguments.of(21, TaskStatus.SUSPENDED, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(22, TaskStatus.SUSPENDED, CANCELLED, TaskStatus.CANCELLED),
                Arguments.of(23, TaskStatus.PERMANENTLY_FAILED, DEAD_LETTERED, TaskStatus.PERMANENTLY_FAILED),
                Arguments.of(24, TaskStatus.PERMANENTLY_FAILED, RECOVERED, TaskStatus.PENDING),
                Arguments.of(25, TaskStatus.SUCCEEDED, REJECTED, TaskStatus.SUCCEEDED),
                Arguments.of(25, TaskStatus.RUNNING, REJECTED, TaskStatus.RUNNING),
                Arguments.of(26, TaskStatus.PENDING, PERMANENTLY_FAILED, TaskStatus.PERMANENTLY_FAILED));
    }

    @ParameterizedTest(name = "row {0}: {1} + {2} -> {3}")
    @MethodSource("rows")
    void shouldApplyEveryRowOfTheStatesTable(int row, TaskStatus from, TaskEventType type, TaskStatus to) {
        TaskStateRecord before = from == null ? null : state(from, EPOCH);
        Task snapshot = Events.task(ID, "work").setEpoch(EPOCH).setScheduleId(row == 26 ? "cron-1" : null).build();
        TaskEvent event = Events.event(ID, type, EPOCH).setTask(snapshot).build();

        Outcome outcome = Transition.apply(before, event);

        assertEquals(Verdict.APPLIED, outcome.verdict(), outcome.reason());
        assertEquals(to, outcome.state().getStatus());
        assertEquals(EPOCH, outcome.state().getEpoch());
        assertEquals(before == null ? 1 : before.getEventCount() + 1, outcome.state().getEventCount());
        if (type != REJECTED) {
            assertEquals(snapshot, outcome.state().getTask(), "the event's Task snapshot is kept");
        }
    }

    @Test
    void shouldHoldExactlyTheRowsOfTheStatesTableInTheDocs() throws java.io.IOException {
        java.nio.file.Path doc = java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../docs/states.md");
        java.util.Map<String, TaskStatus> documented = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(doc)) {
            if (!line.matches("\\| \\d+ \\|.*")) {
                continue;
            }
            String[] cells = line.split("\\|");   // "", row, state(s), event, writer, state after, notes
            String states = cells[2].trim();
            if (states.equals("(none)") || states.equals("any")) {
                continue;   // rows 1, 2 and 25 are rules of Transition, not table rows
            }
            for (String state : states.replace("(cron instance)", "").split(",")) {
                documented.put(state.trim() + " + " + cells[3].trim(), TaskStatus.valueOf(cells[5].trim()));
            }
        }
        java.util.Map<String, TaskStatus> coded = new java.util.TreeMap<>();
        for (TaskStatus state : TaskStatus.values()) {
            for (TaskEventType type : TaskEventType.values()) {
                TaskStatus next = TransitionTable.next(state, type);
                if (next != null) {
                    coded.put(state + " + " + type, next);
                }
            }
        }
        assertEquals(documented, coded, "docs/states.md and TransitionTable list the same rows");
    }

    @Test
    void shouldApplyEveryPairInTheTableAndRejectEveryOtherPair() {
        int applied = 0;
        int illegal = 0;
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskEventType type : TaskEventType.values()) {
                if (from == TaskStatus.UNKNOWN || type == TaskEventType.UNKNOWN) {
                    continue;
                }
                Outcome outcome = Transition.apply(state(from, EPOCH), Events.event(ID, type, EPOCH).build());
                boolean terminal = from == TaskStatus.SUCCEEDED || from == TaskStatus.CANCELLED;
                TaskStatus expected = type == REJECTED ? from : terminal ? null : TransitionTable.next(from, type);
                String pair = from + " + " + type;
                if (expected == null) {
                    assertEquals(Verdict.ILLEGAL, outcome.verdict(), pair);
                    assertEquals(from, outcome.state().getStatus(), pair);
                    illegal++;
                } else {
                    assertEquals(Verdict.APPLIED, outcome.verdict(), pair + ": " + outcome.reason());
                    assertEquals(expected, outcome.state().getStatus(), pair);
                    applied++;
                }
            }
        }
        assertTrue(applied >= 26 && illegal > 100, applied + " applied, " + illegal + " illegal");
    }

    @Test
    void shouldScheduleAgainWhenARetriedRunIsSentBackBeforeItStarts() {
        // Row 27: NO_HANDLER on every worker that gets it, so each new epoch is scheduled without a STARTED.
        TaskStateRecord first = Transition.apply(state(TaskStatus.PENDING, EPOCH),
                Events.event(ID, RETRY_SCHEDULED, EPOCH + 1).setAttempt(2).build()).state();

        Outcome again = Transition.apply(first, Events.event(ID, RETRY_SCHEDULED, EPOCH + 2).setAttempt(3).build());
        Outcome exhausted = Transition.apply(again.state(), Events.event(ID, PERMANENTLY_FAILED, EPOCH + 2).build());

        assertEquals(Verdict.APPLIED, again.verdict(), again.reason());
        assertEquals(TaskStatus.RETRY_SCHEDULED, again.state().getStatus());
        assertEquals(EPOCH + 2, again.state().getEpoch());
        assertEquals(3, again.state().getAttempt());
        assertEquals(Verdict.APPLIED, exhausted.verdict(), exhausted.reason());
        assertEquals(TaskStatus.PERMANENTLY_FAILED, exhausted.state().getStatus());
    }

    @Test
    void shouldTreatALateReportOfTheRunAsDuplicateWhenTheRunHasMovedOn() {
        TaskStateRecord running = Transition.apply(state(TaskStatus.PENDING, EPOCH), Events.event(ID, STARTED, EPOCH).build()).state();
        TaskStateRecord done = Transition.apply(running, Events.event(ID, SUCCEEDED, EPOCH).build()).state();

        Outcome late = Transition.apply(done, Events.event(ID, PROGRESS, EPOCH).build());

        assertEquals(Verdict.DUPLICATE, late.verdict());
        assertEquals(TaskStatus.SUCCEEDED, late.state().getStatus());
    }

    static Stream<Arguments> illegal() {
        return Stream.of(
                Arguments.of(null, SUCCEEDED), Arguments.of(null, PROGRESS), Arguments.of(null, RESUMED),
                Arguments.of(TaskStatus.PENDING, SUCCEEDED), Arguments.of(TaskStatus.PENDING, PAUSED),
                Arguments.of(TaskStatus.RUNNING, RESUMED), Arguments.of(TaskStatus.RUNNING, CREATED),
                Arguments.of(TaskStatus.SUSPENDED, SUCCEEDED), Arguments.of(TaskStatus.SUSPENDED, PROGRESS),
                Arguments.of(TaskStatus.FAILED, STARTED), Arguments.of(TaskStatus.RETRY_SCHEDULED, SUCCEEDED),
                Arguments.of(TaskStatus.SUCCEEDED, STARTED), Arguments.of(TaskStatus.SUCCEEDED, CANCELLED),
                Arguments.of(TaskStatus.CANCELLED, STARTED), Arguments.of(TaskStatus.CANCELLED, RECOVERED),
                Arguments.of(TaskStatus.PERMANENTLY_FAILED, STARTED), Arguments.of(TaskStatus.PERMANENTLY_FAILED, RESUMED));
    }

    @ParameterizedTest(name = "{0} + {1} is illegal")
    @MethodSource("illegal")
    void shouldRejectWithoutThrowingWhenTransitionIsNotInTheTable(TaskStatus from, TaskEventType type) {
        TaskStateRecord before = from == null ? null : state(from, EPOCH);

        Outcome outcome = Transition.apply(before, Events.event(ID, type, EPOCH).build());

        assertEquals(Verdict.ILLEGAL, outcome.verdict());
        if (before == null) {
            assertNull(outcome.state());
        } else {
            assertEquals(from, outcome.state().getStatus());
            assertEquals(1, outcome.state().getIllegal());
            assertEquals(before.getEventCount(), outcome.state().getEventCount());
        }
    }

    @Test
    void shouldFenceWhenEventEpochIsOlderThanTheTasks() {
        Outcome outcome = Transition.apply(state(TaskStatus.RUNNING, EPOCH), Events.event(ID, SUCCEEDED, EPOCH - 1).build());

        assertEquals(Verdict.FENCED, outcome.verdict());
        assertEquals(TaskStatus.RUNNING, outcome.state().getStatus());
        assertEquals(1, outcome.state().getFenced());
    }

    @Test
    void shouldIgnoreDuplicateWhenEpochAndTypeWereAlreadyApplied() {
        TaskStateRecord running = Transition.apply(state(TaskStatus.PENDING, EPOCH), Events.event(ID, STARTED, EPOCH).build()).state();

        Outcome again = Transition.apply(running, Events.event(ID, STARTED, EPOCH).build());

        assertEquals(Verdict.DUPLICATE, again.verdict());
        assertEquals(1, again.state().getDuplicates());
        assertEquals(running.getEventCount(), again.state().getEventCount());
    }

    @Test
    void shouldRecordEveryProgressWhenRepeatedButKeepTheNewest() {
        TaskStateRecord running = state(TaskStatus.RUNNING, EPOCH);
        TaskEvent newer = Events.event(ID, PROGRESS, EPOCH).setTime(Events.T0.plusSeconds(2))
                .setProgress(Progress.newBuilder().setPercent(50.0).build()).build();
        TaskEvent older = Events.event(ID, PROGRESS, EPOCH).setTime(Events.T0.plusSeconds(1))
                .setProgress(Progress.newBuilder().setPercent(10.0).build()).build();

        TaskStateRecord s = Transition.apply(running, newer).state();
        Outcome late = Transition.apply(s, older);

        assertEquals(Verdict.APPLIED, late.verdict());
        assertEquals(50.0, late.state().getProgress().getPercent());
        assertEquals(running.getEventCount() + 2, late.state().getEventCount());
    }

    @Test
    void shouldIgnoreWhenEventTypeIsUnknown() {
        TaskStateRecord running = state(TaskStatus.RUNNING, EPOCH);

        Outcome outcome = Transition.apply(running, Events.event(ID, UNKNOWN, EPOCH).build());

        assertEquals(Verdict.IGNORED_UNKNOWN, outcome.verdict());
        assertSame(running, outcome.state());
    }

    @Test
    void shouldNotThrowWhenEventIsNullOrMalformed() {
        assertEquals(Verdict.ILLEGAL, Transition.apply(null, null).verdict());
        TaskEvent noCreationTime = Events.event(ID, CREATED, 0).setTask(Events.task(ID, "x").build()).build();
        noCreationTime.getTask().put("createdAt", null);
        assertEquals(Verdict.ILLEGAL, Transition.apply(null, noCreationTime).verdict());
        TaskEvent noTaskId = Events.event(ID, STARTED, 0).build();
        noTaskId.put("taskId", null);
        assertEquals(Verdict.ILLEGAL, Transition.apply(null, noTaskId).verdict());
    }

    @Test
    void shouldAdvanceStageEpochAndAttemptWhenResumed() {
        TaskStateRecord suspended = Transition.apply(state(TaskStatus.RUNNING, EPOCH),
                Events.event(ID, SUSPENDED, EPOCH).setChildIds(List.of("c1", "c2"))
                        .setChildFailurePolicy(ChildFailurePolicy.TOLERATE).build()).state();
        Task resumed = Events.task(ID, "work").setStage(1).setEpoch(EPOCH + 1).build();

        TaskStateRecord pending = Transition.apply(suspended,
                Events.event(ID, RESUMED, EPOCH + 1).setStage(1).setTask(resumed).build()).state();

        assertEquals(List.of("c1", "c2"), suspended.getChildIds());
        assertEquals(ChildFailurePolicy.TOLERATE, suspended.getChildFailurePolicy());
        assertEquals(TaskStatus.PENDING, pending.getStatus());
        assertEquals(EPOCH + 1, pending.getEpoch());
        assertEquals(1, pending.getStage());
        assertEquals(List.of(RESUMED), pending.getAppliedTypes());
        assertEquals(resumed, pending.getTask());
    }

    @Test
    void shouldStoreResultAndIdentityWhenSeenFirstThroughStarted() {
        TaskStateRecord running = Transition.apply(null, Events.event(ID, STARTED, 0).setName("foreign")
                .setCapability("gpu").setTag("t").build()).state();

        TaskStateRecord done = Transition.apply(running, Events.event(ID, SUCCEEDED, 0)
                .setResultPayload(Events.json("42")).build()).state();

        assertEquals("foreign", done.getName());
        assertEquals("gpu", done.getCapability());
        assertEquals("42", Events.text(done.getResultPayload()));
        assertEquals(TaskStatus.SUCCEEDED, done.getStatus());
    }

    /** A state in {@code status} at {@code epoch}, with no event of that epoch applied yet. */
    static TaskStateRecord state(TaskStatus status, long epoch) {
        return TaskStateRecord.newBuilder().setTaskId(ID).setStatus(status).setEpoch(epoch).setName("work")
                .setCapability("default").setAppliedTypes(new ArrayList<>()).setEventCount(4).build();
    }
}
