package io.fibflow.api.serde;

import io.fibflow.api.FibflowException;
import io.fibflow.api.internals.serde.SerdeConfigs;
import io.fibflow.api.internals.serde.WireFormat;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka {@link Deserializer} reading Confluent wire-format Avro into a SpecificRecord class,
 * resolving each writer schema (fetched once by id) to the class's own schema.
 *
 * <p>Failures are typed so that a consumer can tell dead-letter from pause-and-retry (see
 * {@link UndecodableRecordException#isPermanent(Throwable)}): {@link WireFormatException} (not the
 * wire format), {@link CorruptPayloadException} (body does not decode),
 * {@link IncompatibleWriterSchemaException} (writer schema cannot become the class),
 * {@link io.fibflow.api.registry.SchemaNotFoundException} (unknown id) are permanent;
 * {@link io.fibflow.api.registry.RegistryUnavailableException} is transient. {@code null} bytes (a
 * tombstone) give {@code null}.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private Class<T> type;
    private SpecificData model;
    private Schema readerSchema;
    private SchemaRegistryClient client;
    private boolean ownsClient;

    /** For Kafka: {@link #configure(Map, boolean)} must be called, with {@link AvroSerdeOptions#AVRO_TYPE}. */
    public AvroDeserializer() {
    }

    /** Reads into {@code type} through {@code client}, which the caller keeps owning. */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
        setType(Objects.requireNonNull(type, "type"));
    }

    private void setType(Class<T> type) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        String typeKey = isKey ? AvroSerdeOptions.AVRO_KEY_TYPE : AvroSerdeOptions.AVRO_TYPE;
        if (type == null || configs.containsKey(typeKey)) {
            setType(SerdeConfigs.recordType(configs, isKey));
        }
        if (client == null || configs.containsKey(AvroSerdeOptions.REGISTRY_CLIENT)
                || configs.containsKey(SchemaRegistryConfig.URL)) {
            closeOwnedClient();
            SerdeConfigs.ClientRef ref = SerdeConfigs.client(configs);
            client = ref.client();
            ownsClient = ref.owned();
        }
        readers.clear();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(...) was called");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new WireFormatException("record on topic " + topic + " has " + data.length
                    + " byte(s); the Confluent wire format needs at least 5 (magic byte 0 and a 4-byte schema id)");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new WireFormatException(String.format(
                    "record on topic %s starts with byte 0x%02x; the Confluent wire format starts with magic byte 0x00",
                    topic, data[0] & 0xff));
        }
        int schemaId = WireFormat.readSchemaId(data);
        DatumReader<T> reader = readers.get(schemaId);
        if (reader == null) {
            reader = newReader(topic, schemaId);
            readers.put(schemaId, reader);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FibflowException fe) {
                throw fe;
            }
            throw new CorruptPayloadException("cannot decode " + (data.length - WireFormat.HEADER_SIZE)
                    + "-byte Avro body on topic " + topic + " with writer schema id " + schemaId + " into "
                    + type.getName() + ": " + e, e);
        }
    }

    private DatumReader<T> newReader(String topic, int schemaId) {
        Schema writerSchema = client.getById(schemaId);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IncompatibleWriterSchemaException("record on topic " + topic + " was written with schema id "
                    + schemaId + " (" + writerSchema.getFullName() + "), which cannot be read as " + type.getName()
                    + ": " + compatibility.getResult().getIncompatibilities());
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    @Override
    public void close() {
        closeOwnedClient();
    }

    private void closeOwnedClient() {
        if (ownsClient && client != null) {
            client.close();
            client = null;
            ownsClient = false;
        }
    }
}
