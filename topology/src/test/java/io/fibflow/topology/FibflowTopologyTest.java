package io.fibflow.topology;

import static io.fibflow.topology.Events.created;
import static io.fibflow.topology.Events.started;
import static io.fibflow.topology.Events.succeeded;
import static io.fibflow.topology.Events.suspended;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskIds;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology end to end in a TopologyTestDriver; the test plays client and workers. */
class FibflowTopologyTest {

    private static final TopicPlan PLAN = TopicPlan.builder().eventPartitions(3).maxRecordBytes(64 * 1024).build();

    @TempDir
    Path stateDir;

    private TopologyFixture f;

    @BeforeEach
    void start() {
        f = new TopologyFixture(stateDir, PLAN, 5);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void shouldResumeOnceWithAllResultsWhenChildEventsAreDuplicatedAndArriveBeforeSuspended() {
        Task parent = Events.task(TaskIds.newTaskId(), "split")
                .setContext(ByteBuffer.wrap("ctx".getBytes(StandardCharsets.UTF_8))).build();
        f.pipe(created(parent), started(parent));
        List<Task> children = children(parent, 3, "chunk");
        for (int i = children.size() - 1; i >= 0; i--) {
            Task c = children.get(i);
            TaskEvent done = succeeded(c, "r" + i);
            f.pipe(created(c), started(c), done, done, succeeded(c, "r" + i));
        }
        TaskEvent suspend = suspended(parent, ids(children), ChildFailurePolicy.FAIL_PARENT);
        f.pipe(suspend, suspend);
        f.pipe(succeeded(children.get(0), "r0"));

        List<KeyValue<String, Task>> published = f.tasks.readKeyValuesToList();
        assertEquals(1, published.size());
        Task resumed = published.get(0).value;
        assertEquals(parent.getId(), published.get(0).key);
        assertEquals(1, resumed.getStage());
        assertEquals(1, resumed.getEpoch());
        assertEquals(1, resumed.getAttempt());
        assertEquals("ctx", StandardCharsets.UTF_8.decode(resumed.getContext().duplicate()).toString());
        List<ChildResult> results = resumed.getChildResults();
        assertEquals(ids(children), results.stream().map(ChildResult::getChildId).toList());
        assertEquals(List.of("r0", "r1", "r2"), results.stream().map(r -> Events.text(r.getResultPayload())).toList());
        assertEquals(List.of(0, 1, 2), results.stream().map(ChildResult::getIndex).toList());
        assertTrue(results.stream().allMatch(r -> r.getStatus() == TaskStatus.SUCCEEDED && r.getName().equals("chunk")));
        List<TaskEvent> resumedEvents = f.emitted(parent.getId(), TaskEventType.RESUMED);
        assertEquals(1, resumedEvents.size());
        assertEquals(1, resumedEvents.get(0).getEpoch());
        assertEquals(resumed, resumedEvents.get(0).getTask());
        TaskStateRecord state = f.state(parent.getId());
        assertEquals(TaskStatus.PENDING, state.getStatus());
        assertEquals(1, state.getEpoch());
        assertEquals(1, f.joinKeys().size(), "only the done header of the stage is left: " + f.joinKeys());
    }

    @Test
    void shouldCompleteBottomUpWhenWorkflowIsNested() {
        Task root = Events.task(TaskIds.newTaskId(), "root").build();
        Task middle = children(root, 1, "middle").get(0);
        Task leaf = children(middle, 1, "leaf").get(0);
        f.pipe(created(root), started(root), created(middle), suspended(root, List.of(middle.getId()), ChildFailurePolicy.FAIL_PARENT));
        f.pipe(started(middle), created(leaf), suspended(middle, List.of(leaf.getId()), ChildFailurePolicy.FAIL_PARENT));
        f.pipe(started(leaf), succeeded(leaf, "leaf-result"));

        Task middleAgain = single(f.tasks.readValuesToList());
        assertEquals(middle.getId(), middleAgain.getId());
        assertEquals("leaf-result", Events.text(middleAgain.getChildResults().get(0).getResultPayload()));
        f.pipe(started(middleAgain), succeeded(middleAgain, "middle-result"));   // no parent fields: the state knows them

        Task rootAgain = single(f.tasks.readValuesToList());
        assertEquals(root.getId(), rootAgain.getId());
        assertEquals(1, rootAgain.getStage());
        assertEquals("middle-result", Events.text(rootAgain.getChildResults().get(0).getResultPayload()));
        f.pipe(started(rootAgain), succeeded(rootAgain, "root-result"));

        assertTrue(f.tasks.isEmpty());
        for (Task t : List.of(root, middle, leaf)) {
            assertEquals(TaskStatus.SUCCEEDED, f.state(t.getId()).getStatus(), t.getName());
        }
        assertEquals("root-result", Events.text(f.state(root.getId()).getResultPayload()));
    }

    @Test
    void shouldFailParentAndRootWithChildErrorWhenLeafPermanentlyFails() {
        Task root = Events.task(TaskIds.newTaskId(), "root").build();
        Task middle = children(root, 1, "middle").get(0);
        Task leaf = children(middle, 1, "leaf").get(0);
        f.pipe(created(root), started(root), created(middle), suspended(root, List.of(middle.getId()), ChildFailurePolicy.UNKNOWN));
        f.pipe(started(middle), created(leaf), suspended(middle, List.of(leaf.getId()), ChildFailurePolicy.FAIL_PARENT));
        TaskError cause = Events.error("java.io.IOException", "disk full", "at Leaf.run(Leaf.java:7)");
        f.pipe(started(leaf), Events.permanentlyFailed(leaf, cause));

        assertTrue(f.tasks.isEmpty());
        TaskError middleError = f.state(middle.getId()).getLastError();
        assertEquals(TaskStatus.PERMANENTLY_FAILED, f.state(middle.getId()).getStatus());
        assertEquals("CHILD_FAILED", middleError.getType());
        assertTrue(middleError.getMessage().contains(leaf.getId()) && middleError.getMessage().contains("disk full"),
                middleError.getMessage());
        assertEquals("at Leaf.run(Leaf.java:7)", middleError.getStack());
        TaskError rootError = f.state(root.getId()).getLastError();
        assertEquals(TaskStatus.PERMANENTLY_FAILED, f.state(root.getId()).getStatus());
        assertEquals("CHILD_FAILED", rootError.getType());
        assertTrue(rootError.getMessage().contains(middle.getId()), rootError.getMessage());
        assertEquals("at Leaf.run(Leaf.java:7)", rootError.getStack());
        assertEquals(1, f.emitted(root.getId(), TaskEventType.PERMANENTLY_FAILED).size());
        assertEquals(2, f.joinKeys().size(), "one done header per stage: " + f.joinKeys());
    }

    @Test
    void shouldResumeWithErrorInResultsWhenStageToleratesFailures() {
        Task parent = Events.task(TaskIds.newTaskId(), "fan-out").build();
        List<Task> children = children(parent, 2, "try");
        f.pipe(created(parent), started(parent), created(children.get(0)), created(children.get(1)),
                suspended(parent, ids(children), ChildFailurePolicy.TOLERATE));
        f.pipe(started(children.get(1)), Events.permanentlyFailed(children.get(1), Events.error("Boom", "no", "at x")));
        f.pipe(started(children.get(0)), succeeded(children.get(0), "ok"));

        Task resumed = single(f.tasks.readValuesToList());
        List<ChildResult> results = resumed.getChildResults();
        assertEquals(TaskStatus.SUCCEEDED, results.get(0).getStatus());
        assertEquals("ok", Events.text(results.get(0).getResultPayload()));
        assertEquals(TaskStatus.PERMANENTLY_FAILED, results.get(1).getStatus());
        assertEquals("Boom", results.get(1).getError().getType());
        assertNull(results.get(1).getResultPayload());
        assertEquals(TaskStatus.PENDING, f.state(parent.getId()).getStatus());
    }

    @Test
    void shouldIgnoreEventsWhenTheirEpochIsOld() {
        Task task = Events.task(TaskIds.newTaskId(), "flaky").build();
        TaskEvent lateSuccess = succeeded(task, "stale");
        f.pipe(created(task), started(task), Events.event(task.getId(), TaskEventType.FAILED, 0).build(),
                Events.event(task.getId(), TaskEventType.RETRY_SCHEDULED, 1).setAttempt(2).build(),
                Events.event(task.getId(), TaskEventType.STARTED, 1).setAttempt(2).build(),
                lateSuccess, started(task));

        TaskStateRecord state = f.state(task.getId());
        assertEquals(TaskStatus.RUNNING, state.getStatus());
        assertEquals(1, state.getEpoch());
        assertEquals(2, state.getAttempt());
        assertEquals(2, state.getFenced());
        assertNull(state.getResultPayload());
        assertTrue(f.history(task.getId()).stream().noneMatch(e -> e.getType() == TaskEventType.SUCCEEDED));
    }

    @Test
    void shouldIgnoreChildWhenItsParentEpochIsNotTheSuspendedOne() {
        Task parent = Events.task(TaskIds.newTaskId(), "p").setEpoch(2).build();
        Task current = children(parent, 1, "c").get(0);
        Task stale = Events.child(TaskIds.childId(parent.getId(), 1, 0), "c", parent).setParentEpoch(1L).build();
        f.pipe(created(parent), started(parent), created(current), created(stale),
                suspended(parent, List.of(current.getId()), ChildFailurePolicy.FAIL_PARENT));
        f.pipe(started(stale), succeeded(stale, "old"));

        assertTrue(f.tasks.isEmpty());
        f.pipe(started(current), succeeded(current, "new"));
        Task resumed = single(f.tasks.readValuesToList());
        assertEquals(3, resumed.getEpoch());
        assertEquals(List.of("new"), resumed.getChildResults().stream().map(r -> Events.text(r.getResultPayload())).toList());
    }

    @Test
    void shouldIgnoreRedrivenChildWhenItsStageAlreadyFailed() {
        Task parent = Events.task(TaskIds.newTaskId(), "p").build();
        Task child = children(parent, 1, "c").get(0);
        f.pipe(created(parent), started(parent), created(child), suspended(parent, List.of(child.getId()), ChildFailurePolicy.FAIL_PARENT));
        f.pipe(started(child), Events.permanentlyFailed(child, Events.error("E", "first try", null)));
        assertEquals(TaskStatus.PERMANENTLY_FAILED, f.state(parent.getId()).getStatus());

        Task redriven = Task.newBuilder(child).setEpoch(1).build();
        f.pipe(Events.event(child.getId(), TaskEventType.RECOVERED, 1).setTask(redriven).build(), started(redriven),
                succeeded(redriven, "second try"));

        assertEquals(TaskStatus.SUCCEEDED, f.state(child.getId()).getStatus());
        assertTrue(f.tasks.isEmpty());
        assertTrue(f.emitted(parent.getId(), TaskEventType.RESUMED).isEmpty());
        assertEquals(TaskStatus.PERMANENTLY_FAILED, f.state(parent.getId()).getStatus());
    }

    @Test
    void shouldAnswerByStatusNameTagParentAndRootWhenStatesChange() {
        Task parent = Events.task(TaskIds.newTaskId(), "resize").setTag("img").build();
        List<Task> children = children(parent, 2, "thumb");
        f.pipe(created(parent), started(parent), created(children.get(0)), created(children.get(1)),
                started(children.get(0)));

        assertEquals(List.of(parent.getId(), children.get(0).getId()).stream().sorted().toList(),
                f.index(FibflowStores.INDEX_STATUS, "RUNNING"));
        assertEquals(List.of(children.get(1).getId()), f.index(FibflowStores.INDEX_STATUS, "PENDING"));
        assertEquals(List.of(parent.getId()), f.index(FibflowStores.INDEX_NAME, "resize"));
        assertEquals(List.of(parent.getId()), f.index(FibflowStores.INDEX_TAG, "img"));
        assertEquals(ids(children).stream().sorted().toList(), f.index(FibflowStores.INDEX_PARENT, parent.getId()));
        assertEquals(3, f.index(FibflowStores.INDEX_ROOT, parent.getId()).size());

        f.pipe(succeeded(children.get(0), "x"));
        assertEquals(List.of(parent.getId()), f.index(FibflowStores.INDEX_STATUS, "RUNNING"));
        assertEquals(List.of(children.get(0).getId()), f.index(FibflowStores.INDEX_STATUS, "SUCCEEDED"));
    }

    @Test
    void shouldKeepOnlyTheLastNEventsWhenHistoryGrows() {
        Task task = Events.task(TaskIds.newTaskId(), "long").build();
        f.pipe(created(task), started(task));
        for (int i = 1; i <= 10; i++) {
            f.pipe(Events.event(task.getId(), TaskEventType.PROGRESS, 0).setTime(Events.T0.plusSeconds(i))
                    .setProgress(io.fibflow.avro.Progress.newBuilder().setPercent((double) i * 10).build()).build());
        }

        List<TaskEvent> history = f.history(task.getId());
        assertEquals(5, history.size());
        assertEquals(List.of(60.0, 70.0, 80.0, 90.0, 100.0), history.stream().map(e -> e.getProgress().getPercent()).toList());
        assertEquals(100.0, f.state(task.getId()).getProgress().getPercent());
    }

    @Test
    void shouldFailParentWithResultsTooLargeWhenResumedTaskExceedsTheLimit() {
        Task parent = Events.task(TaskIds.newTaskId(), "big").build();
        List<Task> children = children(parent, 3, "chunk");
        f.pipe(created(parent), started(parent));
        children.forEach(c -> f.pipe(created(c), started(c)));
        f.pipe(suspended(parent, ids(children), ChildFailurePolicy.FAIL_PARENT));
        children.forEach(c -> f.pipe(succeeded(c, "x".repeat(20 * 1024))));

        assertTrue(f.tasks.isEmpty());
        TaskStateRecord state = f.state(parent.getId());
        assertEquals(TaskStatus.PERMANENTLY_FAILED, state.getStatus());
        assertEquals("RESULTS_TOO_LARGE", state.getLastError().getType());
    }

    private static List<Task> children(Task parent, int n, String name) {
        List<Task> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(Events.child(TaskIds.childId(parent.getId(), parent.getEpoch(), i), name, parent).build());
        }
        return children;
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Task::getId).toList();
    }

    private static Task single(List<Task> tasks) {
        assertEquals(1, tasks.size(), () -> "published: " + tasks.stream().map(Task::getName).toList());
        return tasks.get(0);
    }
}
