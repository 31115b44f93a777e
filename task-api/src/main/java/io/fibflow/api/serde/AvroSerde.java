package io.fibflow.api.serde;

import io.fibflow.api.internals.serde.SerdeConfigs;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for Avro SpecificRecords in the Confluent wire format, pairing an
 * {@link AvroSerializer} and an {@link AvroDeserializer} that share one registry client.
 *
 * <p>Programmatically:
 * <pre>{@code
 * SchemaRegistryClient registry = new RestSchemaRegistryClient(
 *     SchemaRegistryConfig.builder().url("http://localhost:8081").build());
 * AvroSerde<Task> serde = new AvroSerde<>(Task.class, registry, AvroSerdeOptions.defaults());
 * byte[] bytes = serde.serializer().serialize("tasks.default", task);
 * Task back = serde.deserializer().deserialize("tasks.default", bytes);
 * }</pre>
 *
 * <p>From Kafka properties (the serde then builds and owns its client):
 * <pre>{@code
 * Map<String, Object> props = Map.of(
 *     "schema.registry.url", "http://localhost:8081",
 *     "fibflow.avro.type", Task.class.getName(),
 *     "subject.name.strategy", "topic");
 * AvroSerde<Task> serde = new AvroSerde<>();
 * serde.configure(props, false);
 * }</pre>
 *
 * @param <T> the record type
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private SchemaRegistryClient ownedClient;

    /** For Kafka: {@link #configure(Map, boolean)} must be called before use. */
    public AvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    /** Reads and writes {@code type} values with the default options through {@code client}. */
    public AvroSerde(Class<T> type, SchemaRegistryClient client) {
        this(type, client, AvroSerdeOptions.defaults());
    }

    /** Reads and writes {@code type} with {@code options} through {@code client}, which the caller keeps owning. */
    public AvroSerde(Class<T> type, SchemaRegistryClient client, AvroSerdeOptions options) {
        Objects.requireNonNull(type, "type");
        this.serializer = new AvroSerializer<>(client, options);
        this.deserializer = new AvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> shared = new HashMap<>(configs);
        if (configs.containsKey(SchemaRegistryConfig.URL) && !configs.containsKey(AvroSerdeOptions.REGISTRY_CLIENT)) {
            // Build the client once, for both halves; the serde owns it.
            closeOwnedClient();
            SerdeConfigs.ClientRef ref = SerdeConfigs.client(configs);
            ownedClient = ref.client();
            shared.put(AvroSerdeOptions.REGISTRY_CLIENT, ownedClient);
        }
        serializer.configure(shared, isKey);
        deserializer.configure(shared, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        closeOwnedClient();
    }

    private void closeOwnedClient() {
        if (ownedClient != null) {
            ownedClient.close();
            ownedClient = null;
        }
    }
}
