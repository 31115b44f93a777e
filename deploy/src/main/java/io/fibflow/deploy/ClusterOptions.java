package io.fibflow.deploy;

import picocli.CommandLine.Option;

/** Where the cluster is; every option defaults to the dev stack's address. */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:FIBFLOW_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $FIBFLOW_BOOTSTRAP_SERVERS, else 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "${env:FIBFLOW_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema Registry URL (default: $FIBFLOW_SCHEMA_REGISTRY_URL, else http://127.0.0.1:8081).")
    String schemaRegistryUrl;

    @Option(names = "--api-url", defaultValue = "${env:FIBFLOW_API_URL:-http://127.0.0.1:8080/api/v1}",
            description = "The topology's API (default: $FIBFLOW_API_URL, else http://127.0.0.1:8080/api/v1).")
    String apiUrl;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every fibflow topic name.")
    String topicPrefix;
}
