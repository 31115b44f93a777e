package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.topics.DelayTier;
import io.fibflow.api.topics.TopicNames;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code fibflow topics create} in-process against the embedded broker: the plan's options reach the topics. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicsCommandIT {

    private record Run(int exit, String out, String err) {
    }

    @Test
    void shouldCreateTheTopicsWithThePartitionsAndConfigsItIsGivenThenVerifyThem(KafkaEndpoints kafka)
            throws Exception {
        String prefix = "topics-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicNames names = TopicNames.withPrefix(prefix);
        Run created = fibflow("topics", "create", "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix, "--capabilities=default,gpu:2", "--task-partitions=4",
                "--event-partitions=3", "--delay-tiers=100ms,1s", "--max-record-bytes=2097152");
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().contains("created   " + names.tasks("gpu")), created.out());
        assertTrue(created.out().contains("created, 0 verified"), created.out());

        String delay = names.delay(DelayTier.parse("100ms"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(names.tasks("default"),
                    names.tasks("gpu"), names.events(), names.commands(), delay))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertEquals(4, topics.get(names.tasks("default")).partitions().size(), "--task-partitions");
            assertEquals(2, topics.get(names.tasks("gpu")).partitions().size(), "gpu:2");
            assertEquals(3, topics.get(names.events()).partitions().size(), "--event-partitions");
            assertEquals(3, topics.get(names.commands()).partitions().size(), "--event-partitions");
            Set<String> all = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(all.contains(names.delay(DelayTier.parse("1s"))), "--delay-tiers");
            assertFalse(all.contains(names.delay(DelayTier.parse("5s"))), "only the tiers given");
            assertFalse(all.contains(names.tasks("high-memory")), "only the capabilities given");

            ConfigResource task = new ConfigResource(ConfigResource.Type.TOPIC, names.tasks("default"));
            ConfigResource tier = new ConfigResource(ConfigResource.Type.TOPIC, delay);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(task, tier)).all().get(30, TimeUnit.SECONDS);
            for (ConfigResource topic : List.of(task, tier)) {
                assertEquals("2097152", configs.get(topic).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value(),
                        topic.name() + ": --max-record-bytes");
            }
            assertEquals("LogAppendTime", configs.get(tier).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value());
        }

        // Again, through the old option name: nothing to create, everything verified.
        Run again = fibflow("topics", "create", "--bootstrap-servers=" + kafka.bootstrapServers(), "--prefix=" + prefix,
                "--capabilities=default,gpu:2", "--task-partitions=4", "--event-partitions=3", "--delay-tiers=100ms,1s",
                "--max-record-bytes=2097152");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("verified  " + names.events()), again.out());
        assertTrue(again.out().contains("0 created"), again.out());

        // The partitions of task-events are fixed for the deployment's life: a different count is refused.
        Run mismatch = fibflow("topics", "create", "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix, "--capabilities=default,gpu:2", "--task-partitions=4",
                "--event-partitions=5", "--delay-tiers=100ms,1s", "--max-record-bytes=2097152");
        assertEquals(1, mismatch.exit(), mismatch.out());
        assertTrue(mismatch.err().contains(names.events() + " has 3 partitions"), mismatch.err());
    }

    @Test
    void shouldExitWithAUsageErrorNamingTheOptionWhenAValueIsBad(KafkaEndpoints kafka) {
        for (String bad : List.of("--task-partitions=0", "--delay-tiers=soon", "--max-record-bytes=1000",
                "--capabilities=gpu:0")) {
            Run run = fibflow("topics", "create", "--bootstrap-servers=" + kafka.bootstrapServers(),
                    "--topic-prefix=bad-" + UUID.randomUUID().toString().substring(0, 8) + ".", bad);
            assertEquals(2, run.exit(), bad);
            assertTrue(run.err().contains("'" + bad.substring(0, bad.indexOf('=')) + "'"), run.err());
        }
    }

    /** Runs the command in this JVM, capturing what it prints. */
    private static synchronized Run fibflow(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = FibflowCommand.run(args);
            return new Run(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
