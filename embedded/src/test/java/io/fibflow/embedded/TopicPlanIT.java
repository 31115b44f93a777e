package io.fibflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanMismatchException;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.api.topics.TopicSpec;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The topic plan against a real broker: creates every topic with its configs, then verifies. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicPlanIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldCreateEveryTopicWithItsConfigsThenVerifyThem(KafkaEndpoints kafka) throws Exception {
        TopicPlan plan = TopicPlan.builder().prefix(uniquePrefix()).eventPartitions(4).maxRecordBytes(2_000_000).build();
        try (Admin admin = admin(kafka)) {
            TopicPlanner.Result first = new TopicPlanner(plan).ensure(admin, TIMEOUT);
            List<String> planned = plan.topics().stream().map(TopicSpec::name).toList();
            assertEquals(planned, first.created());

            var described = admin.describeTopics(planned).allTopicNames().get(30, TimeUnit.SECONDS);
            var configs = admin.describeConfigs(planned.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
            for (TopicSpec spec : plan.topics()) {
                assertEquals(spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
                Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                spec.configs().forEach((key, value) ->
                        assertEquals(value, actual.get(key).value(), spec.name() + " " + key));
            }
            assertEquals("LogAppendTime", configs.get(new ConfigResource(ConfigResource.Type.TOPIC,
                    plan.names().delay(plan.delayTiers().first()))).get("message.timestamp.type").value());

            TopicPlanner.Result second = new TopicPlanner(plan).ensure(admin, TIMEOUT);
            assertEquals(List.of(), second.created());
            assertEquals(planned, second.verified());
        }
    }

    @Test
    void shouldRefuseToStartWhenExistingTopicsContradictThePlan(KafkaEndpoints kafka) throws Exception {
        String prefix = uniquePrefix();
        TopicPlan plan = TopicPlan.builder().prefix(prefix).capabilities("default").eventPartitions(4).build();
        try (Admin admin = admin(kafka)) {
            // task-events with a different partition count, and a compacted task topic.
            admin.createTopics(List.of(
                    new NewTopic(plan.names().events(), 2, (short) 1),
                    new NewTopic(plan.names().tasks("default"), 6, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            TopicPlanMismatchException e = assertThrows(TopicPlanMismatchException.class,
                    () -> new TopicPlanner(plan).ensure(admin, TIMEOUT));
            String problems = e.problems().stream().collect(Collectors.joining("\n"));
            assertTrue(problems.contains(plan.names().events() + " has 2 partitions, the plan needs exactly 4"), problems);
            assertTrue(problems.contains(plan.names().tasks("default") + " has cleanup.policy=compact"), problems);
            assertEquals(2, e.problems().size(), problems);
        }
    }

    private static String uniquePrefix() {
        return "plan-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    private static Admin admin(KafkaEndpoints kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
