package io.fibflow.embedded;

import java.util.Objects;

/**
 * Where a test or the dev stack finds Kafka and the Schema Registry.
 *
 * @param bootstrapServers  value for {@code bootstrap.servers}
 * @param schemaRegistryUrl value for {@code schema.registry.url}
 */
public record KafkaEndpoints(String bootstrapServers, String schemaRegistryUrl) {
    public KafkaEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    }
}
