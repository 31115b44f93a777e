package io.fibflow.worker.internals;

import io.fibflow.worker.WorkerConfig;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a capability loop's attempts on the shared handler pool, each under its deadline, and posts
 * their outcomes to the loop's {@link Mailbox}.
 *
 * <p>This is the part of a loop that runs off the poll thread (handler, timer and cancellations
 * threads), so it holds neither the consumer nor the producer (STYLE: one owner per thread of state).
 */
final class AttemptRunner {

    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final Shared shared;
    private final Mailbox mailbox;
    private final Set<TaskRun> runs = ConcurrentHashMap.newKeySet();

    AttemptRunner(Shared shared, Mailbox mailbox) {
        this.shared = shared;
        this.mailbox = mailbox;
    }

    /**
     * Called on the poll thread with the handler's permit and a pool slot already taken: hands the
     * attempt to the pool and arms its deadline. If the pool refuses it, both are given back.
     */
    void start(TaskRun run) {
        runs.add(run);
        try {
            shared.pool.execute(() -> execute(run));
            run.deadlineTimer(shared.timer.schedule(() -> timeout(run),
                    Math.max(0, run.deadline.toEpochMilli() - shared.clock.millis()), TimeUnit.MILLISECONDS));
        } catch (RuntimeException rejected) {
            runs.remove(run);
            run.registration.release();
            shared.releaseSlot();
            throw rejected;
        }
    }

    /** Called on the poll thread once the attempt's outcome is handled or discarded. */
    void finished(TaskRun run) {
        runs.remove(run);
    }

    int running() {
        return runs.size();
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** Called on the cancellations thread: interrupts the attempts of the task. */
    void cancelByCommand(String taskId) {
        for (TaskRun run : runs) {
            if (run.task.getId().equals(taskId)) {
                run.cancelByCommand();
            }
        }
    }

    /** Flags every attempt still running as cancelled (shutdown gave up waiting for them). */
    void cancelAll() {
        runs.forEach(TaskRun::cancel);
    }

    /** Runs on a handler thread. */
    private void execute(TaskRun run) {
        io.fibflow.api.TaskOutcome outcome = null;
        Throwable thrown = null;
        run.runningOn(Thread.currentThread());
        try {
            outcome = run.registration.handler().handle(
                    new RunContext(run, shared.codecs, mailbox, shared.config.workerId(), shared.clock));
        } catch (Throwable t) {
            thrown = t;
        } finally {
            Thread.interrupted();
            run.registration.release();
            shared.releaseSlot();
            if (run.returned()) {
                shared.stuckSlots.decrementAndGet();
            }
        }
        if (run.complete()) {
            run.cancelDeadlineTimer();
            mailbox.post(new Mailbox.Completion(run, outcome, thrown));
        } else {
            log.warn("discarding the late outcome of task {} (attempt {}): its attempt timed out", run.task.getId(),
                    run.task.getAttempt());
        }
    }

    /** Runs on the timer thread at the attempt's deadline. */
    private void timeout(TaskRun run) {
        if (!run.complete()) {
            return;
        }
        run.cancel();
        Thread t = run.thread();
        if (t != null) {
            t.interrupt();
        }
        mailbox.post(new Mailbox.Completion(run, null, new TaskTimeoutException(run)));
        long grace = shared.config.getLong(WorkerConfig.STUCK_GRACE_MS);
        shared.timer.schedule(() -> {
            if (run.markStuckIfRunning()) {
                shared.stuckSlots.incrementAndGet();
                log.warn("handler {} ignored interruption {} ms after task {} timed out: its thread is a stuck slot",
                        run.registration.name(), grace, run.task.getId());
            }
        }, grace, TimeUnit.MILLISECONDS);
    }
}
