package io.fibflow.api.client;

import java.util.List;

/**
 * One page of a task list from the topology's API, in id order.
 *
 * @param tasks the page's tasks
 * @param nextCursor where the next page starts, or null when this is the last one
 */
public record TaskPage(List<TaskView> tasks, String nextCursor) {

    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
