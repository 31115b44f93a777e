package io.fibflow.api.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable options of the Avro serializer and deserializer: subject naming, auto-registration,
 * and whether keys or values are handled.
 *
 * <pre>{@code
 * AvroSerdeOptions options = AvroSerdeOptions.builder()
 *     .subjectNameStrategy(SubjectNameStrategy.RECORD)
 *     .autoRegisterSchemas(false)
 *     .build();
 * }</pre>
 */
public final class AvroSerdeOptions {

    /** Register the record's schema on first use (default {@code true}). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /**
     * With auto-registration off, write with the subject's latest schema (the record is converted
     * to it) instead of looking up the record's own schema (default {@code false}).
     */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** {@code topic} (default), {@code record} or {@code topic-record}; see {@link SubjectNameStrategy}. */
    public static final String SUBJECT_NAME_STRATEGY = "subject.name.strategy";
    /** Confluent's per-side spelling, preferred over {@link #SUBJECT_NAME_STRATEGY} for keys. */
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    /** Confluent's per-side spelling, preferred over {@link #SUBJECT_NAME_STRATEGY} for values. */
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** The SpecificRecord class a value deserializer produces (a class name or a {@link Class}). */
    public static final String AVRO_TYPE = "fibflow.avro.type";
    /** The SpecificRecord class a key deserializer produces (a class name or a {@link Class}). */
    public static final String AVRO_KEY_TYPE = "fibflow.avro.key.type";
    /**
     * A ready {@link io.fibflow.api.registry.SchemaRegistryClient} instance to use instead of building
     * one from {@code schema.registry.url}; the serde then does not close it.
     */
    public static final String REGISTRY_CLIENT = "fibflow.schema.registry.client";

    private static final AvroSerdeOptions DEFAULTS = builder().build();

    private final SubjectNameStrategy subjectNameStrategy;
    private final boolean autoRegisterSchemas;
    private final boolean useLatestVersion;
    private final boolean key;

    private AvroSerdeOptions(Builder b) {
        this.subjectNameStrategy = b.subjectNameStrategy;
        this.autoRegisterSchemas = b.autoRegisterSchemas;
        this.useLatestVersion = b.useLatestVersion;
        this.key = b.key;
    }

    /** Returns the defaults: topic naming, auto-registration on, values. */
    public static AvroSerdeOptions defaults() {
        return DEFAULTS;
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the options from Kafka serde properties (the keys are the constants of this class).
     *
     * @throws ConfigException naming the key and value when one is invalid
     */
    public static AvroSerdeOptions fromMap(Map<String, ?> configs, boolean isKey) {
        Builder b = builder().key(isKey);
        Object strategy = configs.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
        String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        if (strategy == null) {
            strategy = configs.get(SUBJECT_NAME_STRATEGY);
            strategyKey = SUBJECT_NAME_STRATEGY;
        }
        if (strategy != null) {
            Object s = strategy;
            try {
                b.subjectNameStrategy(s instanceof SubjectNameStrategy sns ? sns
                        : SubjectNameStrategy.parse(s instanceof Class<?> c ? c.getName() : s.toString()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(strategyKey, s, e.getMessage());
            }
        }
        b.autoRegisterSchemas(bool(configs, AUTO_REGISTER_SCHEMAS, true));
        b.useLatestVersion(bool(configs, USE_LATEST_VERSION, false));
        return b.build();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object v = configs.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, v, "expected true or false");
    }

    /** @return how subjects are named */
    public SubjectNameStrategy subjectNameStrategy() {
        return subjectNameStrategy;
    }

    /** @return whether the serializer registers the record's schema on first use */
    public boolean autoRegisterSchemas() {
        return autoRegisterSchemas;
    }

    /** @return whether, with auto-registration off, the subject's latest schema is used for writing */
    public boolean useLatestVersion() {
        return useLatestVersion;
    }

    /** @return whether the serde handles record keys (subject suffix {@code -key}) rather than values */
    public boolean isKey() {
        return key;
    }

    @Override
    public String toString() {
        return "AvroSerdeOptions{subjectNameStrategy=" + subjectNameStrategy + ", autoRegisterSchemas="
                + autoRegisterSchemas + ", useLatestVersion=" + useLatestVersion + ", key=" + key + '}';
    }

    /** Builds {@link AvroSerdeOptions}. */
    public static final class Builder {
        private SubjectNameStrategy subjectNameStrategy = SubjectNameStrategy.TOPIC;
        private boolean autoRegisterSchemas = true;
        private boolean useLatestVersion;
        private boolean key;

        private Builder() {
        }

        public Builder subjectNameStrategy(SubjectNameStrategy strategy) {
            this.subjectNameStrategy = Objects.requireNonNull(strategy, "subject name strategy");
            return this;
        }

        public Builder autoRegisterSchemas(boolean autoRegister) {
            this.autoRegisterSchemas = autoRegister;
            return this;
        }

        public Builder useLatestVersion(boolean useLatest) {
            this.useLatestVersion = useLatest;
            return this;
        }

        /** Marks the serde as handling record keys. */
        public Builder key(boolean isKey) {
            this.key = isKey;
            return this;
        }

        public AvroSerdeOptions build() {
            return new AvroSerdeOptions(this);
        }
    }
}
