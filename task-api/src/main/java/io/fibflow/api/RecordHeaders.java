package io.fibflow.api;

/**
 * Every record header fibflow writes, in one place (they reach the wire; a test pins them).
 * Dead letters carry the reason and the record's origin; delay-topic records carry their due
 * time and target.
 */
public final class RecordHeaders {

    /** Why the record was dead-lettered: a {@code TaskError} type such as NO_HANDLER, or UNDECODABLE. */
    public static final String DLT_REASON = "fibflow.dlt.reason";
    public static final String DLT_ERROR_CLASS = "fibflow.dlt.error.class";
    public static final String DLT_ERROR_MESSAGE = "fibflow.dlt.error.message";
    public static final String DLT_SOURCE_TOPIC = "fibflow.dlt.source.topic";
    public static final String DLT_SOURCE_PARTITION = "fibflow.dlt.source.partition";
    public static final String DLT_SOURCE_OFFSET = "fibflow.dlt.source.offset";
    public static final String DLT_ATTEMPTS = "fibflow.dlt.attempts";
    /** When the record was dead-lettered, epoch milliseconds as decimal text. */
    public static final String DLT_TIME = "fibflow.dlt.time";
    /** The worker that dead-lettered it. */
    public static final String DLT_WORKER = "fibflow.dlt.worker";

    /** Dead-letter reason for bytes that are not a decodable Task (bad magic byte, unknown schema, corrupt Avro). */
    public static final String REASON_UNDECODABLE = "UNDECODABLE";

    /**
     * Delay topics: when the record is due, epoch milliseconds on the broker's clock, as decimal
     * text. Absent on a record's first tier: there the due time is its append time plus
     * {@link #DELAY_MS}, so no producer's clock is trusted.
     */
    public static final String DELAY_DUE = "fibflow.delay.due";
    /** Delay topics: how long the record waits, counted from its first append, milliseconds as decimal text. */
    public static final String DELAY_MS = "fibflow.delay.ms";
    /** Delay topics: the topic the record goes to when due. */
    public static final String DELAY_TARGET = "fibflow.delay.target";

    private RecordHeaders() {
    }
}
