package io.fibflow.api.codec;

import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.serde.AvroSerdeOptions;
import io.fibflow.api.serde.AvroSerializer;
import io.fibflow.api.serde.SubjectNameStrategy;
import io.fibflow.avro.Payload;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro payloads ({@code avro/confluent}): a SpecificRecord in the Confluent wire format, its
 * schema registered under its record name, so that a payload is self-describing for any
 * language with a Schema Registry client.
 *
 * <pre>{@code
 * PayloadCodecs codecs = PayloadCodecs.of(new AvroPayloadCodec(registry));
 * }</pre>
 */
public final class AvroPayloadCodec implements PayloadCodec {

    public static final String ENCODING = "avro/confluent";
    /** Metadata key naming the payload's record type. */
    public static final String RECORD_NAME = "avro.record";

    private final SchemaRegistryClient registry;
    private final AvroSerializer<SpecificRecord> serializer;
    private final Map<Class<?>, AvroDeserializer<?>> deserializers = new ConcurrentHashMap<>();

    public AvroPayloadCodec(SchemaRegistryClient registry) {
        this.registry = registry;
        this.serializer = new AvroSerializer<>(registry,
                AvroSerdeOptions.builder().subjectNameStrategy(SubjectNameStrategy.RECORD).build());
    }

    @Override
    public String encoding() {
        return ENCODING;
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof SpecificRecord;
    }

    @Override
    public Payload encode(Object value) {
        SpecificRecord record = (SpecificRecord) value;
        byte[] bytes = serializer.serialize(null, record);
        return new Payload(ENCODING, ByteBuffer.wrap(bytes), Map.of(RECORD_NAME, record.getSchema().getFullName()));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T decode(Payload payload, Class<T> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new PayloadDecodeException("an avro/confluent payload decodes to a SpecificRecord class, not "
                    + type.getName(), null);
        }
        AvroDeserializer<?> d = deserializers.computeIfAbsent(type,
                t -> new AvroDeserializer(t, registry));
        ByteBuffer data = payload.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        try {
            return type.cast(d.deserialize(null, bytes));
        } catch (RuntimeException e) {
            if (e instanceof io.fibflow.api.FibflowException f && f.isTransient()) {
                throw e; // registry unreachable: a retryable failure, not a decode error
            }
            throw new PayloadDecodeException("payload is not a " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
