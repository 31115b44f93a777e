package io.fibflow.api.topics;

import io.fibflow.api.FibflowException;
import java.util.List;

/**
 * Existing topics contradict the topic plan (wrong partition count or a config fibflow relies
 * on); fix the topics or the plan before starting.
 */
public class TopicPlanMismatchException extends FibflowException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public TopicPlanMismatchException(List<String> problems) {
        super("existing topics do not match the fibflow topic plan: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
