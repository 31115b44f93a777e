package io.fibflow.api.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    @Test
    void shouldNameEveryTopicOfDesignSection2() {
        TopicPlan plan = TopicPlan.defaults();
        List<String> names = plan.topics().stream().map(TopicSpec::name).toList();
        assertEquals(List.of("tasks.default", "tasks.gpu", "tasks.high-memory",
                "tasks.delay.1s", "tasks.delay.5s", "tasks.delay.30s", "tasks.delay.2m", "tasks.delay.10m",
                "tasks.delay.1h", "tasks.dead-letter", "task-events", "task-commands", "task-cancellations",
                "task-schedules", "workers"), names);
    }

    @Test
    void shouldPrefixEveryTopicWhenAPrefixIsSet() {
        TopicPlan plan = TopicPlan.builder().prefix("staging.").capabilities("default").build();
        assertTrue(plan.topics().stream().allMatch(t -> t.name().startsWith("staging.")));
        assertEquals("staging.tasks.default", plan.names().tasks("default"));
        assertEquals("default", plan.names().capabilityOf("staging.tasks.default"));
        assertNull(plan.names().capabilityOf("staging.tasks.delay.1s"));
        assertNull(plan.names().capabilityOf("tasks.default"));
    }

    @Test
    void shouldDriveTopicConfigsFromOneSizeLimitAndDesignRules() {
        TopicPlan plan = TopicPlan.builder().maxRecordBytes(2_000_000).eventPartitions(4)
                .capability("gpu", 2).build();
        Map<String, TopicSpec> byName = plan.topics().stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));
        for (TopicSpec spec : plan.topics()) {
            assertEquals("2000000", spec.configs().get("max.message.bytes"), spec.name());
        }
        assertEquals(2_000_000, plan.producerOverrides().get("max.request.size"));
        assertEquals(2_000_000 - TopicPlan.RECORD_OVERHEAD_BYTES, plan.maxValueBytes());
        assertEquals("LogAppendTime", byName.get("tasks.delay.30s").configs().get("message.timestamp.type"));
        assertNull(byName.get("tasks.gpu").configs().get("message.timestamp.type"));
        for (String compacted : List.of("task-cancellations", "task-schedules", "workers")) {
            assertEquals("compact", byName.get(compacted).configs().get("cleanup.policy"), compacted);
        }
        assertEquals("delete", byName.get("task-events").configs().get("cleanup.policy"));
        assertEquals(4, byName.get("task-events").partitions());
        assertEquals(4, byName.get("task-commands").partitions());
        assertEquals(2, byName.get("tasks.gpu").partitions());
        assertEquals(Long.toString(Duration.ofDays(30).toMillis()), byName.get("tasks.gpu").configs().get("retention.ms"));
    }

    @Test
    void shouldSetMinInsyncReplicasOnlyWhenReplicated() {
        assertNull(TopicPlan.defaults().topics().get(0).configs().get("min.insync.replicas"));
        TopicPlan replicated = TopicPlan.builder().replicationFactor((short) 3).build();
        assertEquals("2", replicated.topics().get(0).configs().get("min.insync.replicas"));
        assertEquals(3, replicated.topics().get(0).replicationFactor());
    }

    @Test
    void shouldRejectBadSettingsNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().capabilities("gp u"));
        assertTrue(e.getMessage().contains("'gp u'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().capabilities("delay"));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().eventPartitions(0));
        assertTrue(e.getMessage().contains("eventPartitions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().maxRecordBytes(10));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().capabilities().build());
        assertThrows(IllegalArgumentException.class, () -> TopicPlan.builder().prefix("bad prefix"));
    }

    @Test
    void shouldParseAndLabelDelayTiers() {
        assertEquals(Duration.ofSeconds(30), DelayTier.parse("30s").duration());
        assertEquals("2m", DelayTier.parse("120s").label());
        assertEquals("1h", DelayTier.of(Duration.ofMinutes(60)).label());
        assertEquals("1500ms", DelayTier.of(Duration.ofMillis(1500)).label());
        assertEquals("1d", DelayTier.parse("24h").label());
        var e = assertThrows(IllegalArgumentException.class, () -> DelayTier.parse("5 minutes"));
        assertTrue(e.getMessage().contains("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> DelayTier.parse("0s"));
        TopicPlan plan = TopicPlan.builder().delayTiers("1m", "1s", "10s").build();
        assertEquals(List.of("1s", "10s", "1m"), plan.delayTiers().stream().map(DelayTier::label).toList());
    }
}
