package io.fibflow.api.internals.records;

import io.fibflow.api.RecordHeaders;
import io.fibflow.api.topics.DelayTiers;
import io.fibflow.api.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The one way a task record is routed through the delay tiers, for clients and workers alike:
 * into the tier that fits its wait, with its target topic and its delay in headers; the due
 * time is then counted from the broker's append time, so no producer's clock counts.
 */
public final class DelayedRecords {

    private DelayedRecords() {
    }

    public static ProducerRecord<String, byte[]> route(TopicNames names, DelayTiers tiers, String key,
            String targetTopic, byte[] value, Duration delay) {
        if (delay.toMillis() <= 0) {
            return new ProducerRecord<>(targetTopic, key, value);
        }
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(names.delay(tiers.forRemaining(delay)), key, value);
        r.headers().add(new RecordHeader(RecordHeaders.DELAY_TARGET, targetTopic.getBytes(StandardCharsets.UTF_8)));
        r.headers().add(new RecordHeader(RecordHeaders.DELAY_MS,
                Long.toString(delay.toMillis()).getBytes(StandardCharsets.UTF_8)));
        return r;
    }
}
