package io.fibflow.topology;

import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Production serdes: the Confluent wire-format {@link AvroSerde} over one Schema Registry client,
 * for the topology's topics and its stores' changelogs alike.
 */
public final class RegistrySerdeFactory implements SerdeFactory {

    private final SchemaRegistryClient registry;

    public RegistrySerdeFactory(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        return new AvroSerde<>(type, registry);
    }
}
