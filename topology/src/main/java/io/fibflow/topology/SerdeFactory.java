package io.fibflow.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Supplies the value serdes of the topology: its topics ({@code Task}, {@code TaskEvent}) and
 * its stores ({@code TaskStateRecord}, {@code ParentJoinRow}).
 *
 * <p>Production passes the Confluent wire-format Avro serde of task-api; tests may pass any
 * Avro serde, for example plain Avro binary without a registry.
 *
 * <pre>{@code
 * SerdeFactory serdes = type -> new MyAvroSerde<>(type, registryUrl);
 * }</pre>
 */
@FunctionalInterface
public interface SerdeFactory {

    /** A value serde for the given generated Avro class; called once per type when a topology is built. */
    <T extends SpecificRecord> Serde<T> serde(Class<T> type);
}
