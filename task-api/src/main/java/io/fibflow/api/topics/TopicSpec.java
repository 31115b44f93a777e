package io.fibflow.api.topics;

import java.util.Map;
import java.util.Objects;

/** One topic the plan requires: its name, partition count, replication factor and configs. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replication factor must be >= 1, got " + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }
}
