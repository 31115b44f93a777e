package io.fibflow.topology.internals;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanMismatchException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

class PartitionCheckTest {

    private final TopicPlan plan = TopicPlan.builder().prefix("t.").eventPartitions(6).build();

    @Test
    void shouldPassWhenEventAndCommandTopicsHaveThePlansPartitionCount() {
        Admin admin = admin(Map.of("t.task-events", 6, "t.task-commands", 6));

        assertDoesNotThrow(() -> PartitionCheck.verify(admin, plan, Duration.ofSeconds(1)));
    }

    @Test
    void shouldNameTheTopicWhenPartitionCountDiffersOrTopicIsMissing() {
        Admin admin = admin(Map.of("t.task-events", 12));

        TopicPlanMismatchException e = assertThrows(TopicPlanMismatchException.class,
                () -> PartitionCheck.verify(admin, plan, Duration.ofSeconds(1)));

        assertEquals(List.of("topic t.task-events has 12 partitions, the plan's event partition count is 6",
                "topic t.task-commands does not exist"), e.problems());
    }

    /** An Admin that only describes topics, from a name → partition count map. */
    private static Admin admin(Map<String, Integer> partitions) {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
            if (!method.getName().equals("describeTopics")) {
                throw new UnsupportedOperationException(method.getName());
            }
            Map<String, KafkaFuture<TopicDescription>> futures = new HashMap<>();
            for (Object name : (Collection<?>) args[0]) {
                KafkaFutureImpl<TopicDescription> future = new KafkaFutureImpl<>();
                Integer count = partitions.get((String) name);
                if (count == null) {
                    future.completeExceptionally(new UnknownTopicOrPartitionException("no " + name));
                } else {
                    List<TopicPartitionInfo> infos = new ArrayList<>();
                    for (int p = 0; p < count; p++) {
                        infos.add(new TopicPartitionInfo(p, null, List.of(), List.of()));
                    }
                    future.complete(new TopicDescription((String) name, false, infos));
                }
                futures.put((String) name, future);
            }
            return new DescribeTopicsResult(null, futures) { };
        });
    }
}
