package io.fibflow.api.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How a serializer names the registry subject of a record, as Confluent's strategies of the same
 * names do.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-value} or {@code <topic>-key}: one schema lineage per topic (the default). */
    TOPIC {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name, e.g. {@code io.fibflow.avro.Task}: one lineage per type across topics. */
    RECORD {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several types on one topic, each with its own lineage. */
    TOPIC_RECORD {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    /** Returns the subject for a record of {@code schema} written to {@code topic}. */
    public abstract String subjectName(String topic, boolean isKey, Schema schema);

    /**
     * Parses {@code topic}, {@code record}, {@code topic-record} (any case, '-' or '_'), or the name of
     * Confluent's strategy class ({@code ...TopicNameStrategy}, {@code ...RecordNameStrategy},
     * {@code ...TopicRecordNameStrategy}).
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static SubjectNameStrategy parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("subject name strategy must not be null");
        }
        String v = value.trim();
        int dot = v.lastIndexOf('.');
        String simple = dot >= 0 ? v.substring(dot + 1) : v;
        switch (simple) {
            case "TopicNameStrategy":
                return TOPIC;
            case "RecordNameStrategy":
                return RECORD;
            case "TopicRecordNameStrategy":
                return TOPIC_RECORD;
            default:
                break;
        }
        switch (v.toUpperCase(Locale.ROOT).replace('-', '_')) {
            case "TOPIC":
                return TOPIC;
            case "RECORD":
                return RECORD;
            case "TOPIC_RECORD":
                return TOPIC_RECORD;
            default:
                throw new IllegalArgumentException("unknown subject name strategy '" + value
                        + "': expected topic, record or topic-record");
        }
    }
}
