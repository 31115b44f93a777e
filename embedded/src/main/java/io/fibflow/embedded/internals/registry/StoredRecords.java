package io.fibflow.embedded.internals.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The records of the {@code _schemas} topic. Their JSON follows the shape Confluent's
 * registry uses (a {@code keytype} key, the schema or config as the value) so the topic
 * reads familiarly, but only this registry is expected to read it.
 */
public final class StoredRecords {
    public static final String SCHEMA = "SCHEMA";
    public static final String CONFIG = "CONFIG";

    /** Lenient on read, so that a newer registry's extra fields do not break an older one. */
    public static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StoredRecords() {
    }

    /** Key of a record; {@code subject} is null for the global config. */
    public record Key(String keytype, String subject, Integer version, int magic) {
        public static Key schema(String subject, int version) {
            return new Key(SCHEMA, subject, version, 1);
        }

        public static Key config(String subject) {
            return new Key(CONFIG, subject, null, 0);
        }
    }

    /** One version of a subject. {@code schema} is the canonical Avro text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SchemaValue(String subject, int version, int id, String schema, String schemaType, boolean deleted) {
        public SchemaValue asDeleted() {
            return new SchemaValue(subject, version, id, schema, schemaType, true);
        }
    }

    /** A compatibility level, globally or for one subject. */
    public record ConfigValue(String compatibilityLevel) {
    }

    public static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
