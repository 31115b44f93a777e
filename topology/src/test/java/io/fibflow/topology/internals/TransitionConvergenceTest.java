package io.fibflow.topology.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.Progress;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.Events;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style: delivery is at-least-once and epochs race, so a legal event sequence whose
 * events of each epoch arrive in order, but duplicated and with older epochs' events
 * re-delivered late, must fold to the same state as the clean sequence.
 */
class TransitionConvergenceTest {

    private static final String ID = "task-p";
    private static final int RUNS = 300;

    @Test
    void shouldConvergeWhenEventsAreDuplicatedAndOlderEpochsArriveLate() {
        List<TaskEvent> legal = legalSequence();
        TaskStateRecord expected = comparable(fold(legal));
        assertEquals(TaskStatus.SUCCEEDED, expected.getStatus());
        assertEquals(3, expected.getEpoch());

        for (long seed = 1; seed <= RUNS; seed++) {
            Random random = new Random(seed);
            List<TaskEvent> delivered = perturb(legal, random);
            assertEquals(expected, comparable(fold(delivered)), "seed " + seed + " delivered " + types(delivered));
        }
    }

    @Test
    void shouldDetectADifferenceWhenAnEpochLosesAnEvent() {
        // Guards the property test itself: comparable() must not hide real differences.
        List<TaskEvent> legal = new ArrayList<>(legalSequence());
        legal.remove(legal.size() - 1);
        assertNotEquals(comparable(fold(legalSequence())), comparable(fold(legal)));
    }

    /** Epoch 0 fails, epoch 1 retries and suspends on children, epoch 2 is resumed... and epoch 3 succeeds after a timeout. */
    private static List<TaskEvent> legalSequence() {
        List<TaskEvent> events = new ArrayList<>();
        Task task = Events.task(ID, "work").setContext(ByteBuffer.wrap(new byte[] {1})).build();
        events.add(Events.created(task));
        events.add(at(Events.event(ID, TaskEventType.STARTED, 0)));
        events.add(at(Events.event(ID, TaskEventType.PROGRESS, 0).setProgress(progress(10))));
        events.add(at(Events.event(ID, TaskEventType.CHECKPOINT, 0).setTask(Task.newBuilder(task)
                .setContext(ByteBuffer.wrap(new byte[] {2})).build())));
        events.add(at(Events.event(ID, TaskEventType.PROGRESS, 0).setProgress(progress(20))));
        events.add(at(Events.event(ID, TaskEventType.FAILED, 0).setError(Events.error("E", "boom", null))));
        events.add(at(Events.event(ID, TaskEventType.RETRY_SCHEDULED, 1).setAttempt(2).setTask(Task.newBuilder(task)
                .setEpoch(1).setAttempt(2).build())));
        events.add(at(Events.event(ID, TaskEventType.STARTED, 1).setAttempt(2)));
        events.add(at(Events.event(ID, TaskEventType.PROGRESS, 1).setAttempt(2).setProgress(progress(5))));
        events.add(at(Events.event(ID, TaskEventType.CHILDREN_SPAWNED, 1).setAttempt(2).setChildIds(List.of("a", "b"))));
        events.add(at(Events.event(ID, TaskEventType.SUSPENDED, 1).setAttempt(2).setChildIds(List.of("a", "b"))
                .setChildFailurePolicy(ChildFailurePolicy.FAIL_PARENT).setTask(Task.newBuilder(task).setEpoch(1).build())));
        events.add(at(Events.event(ID, TaskEventType.RESUMED, 2).setStage(1).setTask(Task.newBuilder(task)
                .setEpoch(2).setStage(1).build())));
        events.add(at(Events.event(ID, TaskEventType.STARTED, 2).setStage(1)));
        events.add(at(Events.event(ID, TaskEventType.TIMED_OUT, 2).setStage(1)));
        events.add(at(Events.event(ID, TaskEventType.RETRY_SCHEDULED, 3).setStage(1).setAttempt(2)));
        events.add(at(Events.event(ID, TaskEventType.STARTED, 3).setStage(1).setAttempt(2)));
        events.add(at(Events.event(ID, TaskEventType.PROGRESS, 3).setStage(1).setAttempt(2).setProgress(progress(99))));
        events.add(at(Events.event(ID, TaskEventType.SUCCEEDED, 3).setStage(1).setAttempt(2)
                .setResultPayload(Events.json("done"))));
        // Distinct, increasing event times, as one writer per epoch produces them.
        for (int i = 0; i < events.size(); i++) {
            events.get(i).setTime(Events.T0.plusMillis(i));
        }
        return events;
    }

    /** Each event in order, each followed by 0-2 re-deliveries of any earlier event (same epoch or older). */
    private static List<TaskEvent> perturb(List<TaskEvent> legal, Random random) {
        List<TaskEvent> delivered = new ArrayList<>();
        for (int i = 0; i < legal.size(); i++) {
            delivered.add(legal.get(i));
            int again = random.nextInt(3);
            for (int k = 0; k < again; k++) {
                delivered.add(legal.get(random.nextInt(i + 1)));
            }
        }
        return delivered;
    }

    private static TaskStateRecord fold(List<TaskEvent> events) {
        TaskStateRecord state = null;
        for (TaskEvent e : events) {
            Outcome outcome = Transition.apply(state, e);
            assertNotEquals(Verdict.ILLEGAL, outcome.verdict(), () -> "illegal " + e.getType() + " " + e.getEpoch());
            state = outcome.state();
        }
        return state;
    }

    /** The state without the counters, which differ by design (they count duplicates and fenced events). */
    private static TaskStateRecord comparable(TaskStateRecord state) {
        return TaskStateRecord.newBuilder(state).setEventCount(0).setDuplicates(0).setFenced(0).setIllegal(0).build();
    }

    private static TaskEvent at(TaskEvent.Builder builder) {
        return builder.build();
    }

    private static Progress progress(double percent) {
        return Progress.newBuilder().setPercent(percent).build();
    }

    private static List<String> types(List<TaskEvent> events) {
        return events.stream().map(e -> e.getType() + "@" + e.getEpoch()).toList();
    }
}
