package io.fibflow.api.internals.serde;

import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroSerdeOptions;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** Turns Kafka serde properties into a registry client and a record class. */
public final class SerdeConfigs {

    private SerdeConfigs() {
    }

    /** A client and whether the serde that asked for it owns (and so closes) it. */
    public record ClientRef(SchemaRegistryClient client, boolean owned) {
    }

    public static ClientRef client(Map<String, ?> configs) {
        Object given = configs.get(AvroSerdeOptions.REGISTRY_CLIENT);
        if (given != null) {
            if (given instanceof SchemaRegistryClient c) {
                return new ClientRef(c, false);
            }
            throw new ConfigException(AvroSerdeOptions.REGISTRY_CLIENT, given.getClass().getName(),
                    "expected a SchemaRegistryClient instance");
        }
        return new ClientRef(new RestSchemaRegistryClient(SchemaRegistryConfig.fromMap(configs)), true);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> Class<T> recordType(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? AvroSerdeOptions.AVRO_KEY_TYPE : AvroSerdeOptions.AVRO_TYPE;
        Object value = configs.get(key);
        if (value == null) {
            throw new ConfigException(key, null, "the SpecificRecord class to deserialize into is required");
        }
        Class<?> type;
        if (value instanceof Class<?> c) {
            type = c;
        } else {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try {
                type = Class.forName(value.toString().trim(), true,
                        loader != null ? loader : SerdeConfigs.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(key, value, "class not found");
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "not an Avro SpecificRecord class");
        }
        return (Class<T>) type;
    }
}
