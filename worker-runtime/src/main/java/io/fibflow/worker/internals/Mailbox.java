package io.fibflow.worker.internals;

import io.fibflow.api.TaskOutcome;
import io.fibflow.avro.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How handler threads talk to the poll thread (STYLE: one owner per thread of state): they post
 * messages; the poll thread drains them between polls.
 */
final class Mailbox {

    sealed interface Message permits Completion, SideEvent {
        TaskRun run();
    }

    /** A handler finished: exactly one of outcome and failure is set. */
    record Completion(TaskRun run, TaskOutcome outcome, Throwable failure) implements Message {
    }

    /** A PROGRESS or CHECKPOINT event a running handler reported. */
    record SideEvent(TaskRun run, TaskEvent event) implements Message {
    }

    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();

    void post(Message message) {
        queue.add(message);
    }

    List<Message> drain() {
        List<Message> out = new ArrayList<>();
        for (Message m; (m = queue.poll()) != null; ) {
            out.add(m);
        }
        return out;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
