package io.fibflow.topology.internals;

import io.fibflow.api.FibflowException;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The start-up check of DESIGN §2: task-events and task-commands must exist with exactly the
 * plan's event partition count, or state would be separated from its keys.
 */
public final class PartitionCheck {

    private PartitionCheck() {
    }

    /** Throws {@link TopicPlanMismatchException} naming every offending topic. */
    public static void verify(Admin admin, TopicPlan plan, Duration timeout) {
        List<String> topics = List.of(plan.names().events(), plan.names().commands());
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics).topicNameValues();
        List<String> problems = new ArrayList<>();
        for (String topic : topics) {
            try {
                int partitions = futures.get(topic).get(timeout.toMillis(), TimeUnit.MILLISECONDS).partitions().size();
                if (partitions != plan.eventPartitions()) {
                    problems.add("topic " + topic + " has " + partitions + " partitions, the plan's event partition count is "
                            + plan.eventPartitions());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    problems.add("topic " + topic + " does not exist");
                } else {
                    throw new FibflowException("cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new FibflowException("describing topic " + topic + " timed out after " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FibflowException("interrupted while describing topic " + topic, e);
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicPlanMismatchException(problems);
        }
    }
}
