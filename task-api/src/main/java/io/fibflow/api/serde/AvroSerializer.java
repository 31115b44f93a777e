package io.fibflow.api.serde;

import io.fibflow.api.FibflowException;
import io.fibflow.api.internals.serde.SerdeConfigs;
import io.fibflow.api.internals.serde.WireFormat;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.registry.SchemaVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serializer} writing Avro SpecificRecords in the Confluent wire format (magic byte 0,
 * 4-byte big-endian schema id, Avro binary), registering or looking up the schema once per topic and
 * type.
 *
 * <p>After the first record of a type on a topic the schema id is cached here, so no registry call
 * is made. A {@code null} record is written as {@code null} (a tombstone). Programmatic use:
 * {@code new AvroSerializer<Task>(registryClient, AvroSerdeOptions.defaults())}; Kafka use: the
 * no-arg constructor plus {@code schema.registry.url} and the keys of {@link AvroSerdeOptions}.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Map<WriterKey, Writer> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerdeOptions options = AvroSerdeOptions.defaults();

    /** For Kafka: {@link #configure(Map, boolean)} must be called before use. */
    public AvroSerializer() {
    }

    /** Writes values with the default options through {@code client}. */
    public AvroSerializer(SchemaRegistryClient client) {
        this(client, AvroSerdeOptions.defaults());
    }

    /** Writes with {@code options} through {@code client}, which the caller keeps owning. */
    public AvroSerializer(SchemaRegistryClient client, AvroSerdeOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        options = AvroSerdeOptions.fromMap(configs, isKey);
        if (client == null || configs.containsKey(AvroSerdeOptions.REGISTRY_CLIENT)
                || configs.containsKey(SchemaRegistryConfig.URL)) {
            closeOwnedClient();
            SerdeConfigs.ClientRef ref = SerdeConfigs.client(configs);
            client = ref.client();
            ownsClient = ref.owned();
        }
        writers.clear();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure(...) was called");
        }
        Schema schema = record.getSchema();
        WriterKey key = new WriterKey(topic, schema);
        Writer writer = writers.get(key);
        if (writer == null) {
            writer = newWriter(topic, schema, record.getClass());
            writers.put(key, writer);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, writer.schemaId);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            if (e instanceof FibflowException fe) {
                throw fe;
            }
            throw new UnencodableRecordException("cannot encode " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + writer.schemaId + ": " + e, e);
        }
        return out.toByteArray();
    }

    private Writer newWriter(String topic, Schema schema, Class<?> recordClass) {
        String subject = options.subjectNameStrategy().subjectName(topic, options.isKey(), schema);
        SpecificDatumWriter<Object> own = new SpecificDatumWriter<>(schema, SpecificData.getForClass(recordClass));
        if (options.autoRegisterSchemas()) {
            return new Writer(client.register(subject, schema), own, null, null);
        }
        if (!options.useLatestVersion()) {
            return new Writer(client.lookup(subject, schema).id(), own, null, null);
        }
        SchemaVersion latest = client.getLatestVersion(subject);
        if (latest.schema().equals(schema)) {
            return new Writer(latest.id(), own, null, null);
        }
        // The subject's latest schema differs from the record's: resolve the record into it, the way a
        // reader of the latest schema would, and write that.
        GenericDatumReader<Object> converter = new GenericDatumReader<>(schema, latest.schema(), GenericData.get());
        return new Writer(latest.id(), own, converter, new GenericDatumWriter<>(latest.schema(), GenericData.get()));
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

    private record WriterKey(String topic, Schema schema) {
    }

    /** How one (topic, record schema) pair is written: its id, and an optional conversion. */
    private static final class Writer {
        final int schemaId;
        final DatumWriter<Object> own;
        final GenericDatumReader<Object> converter;
        final DatumWriter<Object> latest;

        Writer(int schemaId, DatumWriter<Object> own, GenericDatumReader<Object> converter, DatumWriter<Object> latest) {
            this.schemaId = schemaId;
            this.own = own;
            this.converter = converter;
            this.latest = latest;
        }

        void write(Object record, BinaryEncoder encoder) throws IOException {
            if (converter == null) {
                own.write(record, encoder);
                return;
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
            BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
            own.write(record, ownEncoder);
            ownEncoder.flush();
            Object converted = converter.read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
            latest.write(converted, encoder);
        }
    }
}
