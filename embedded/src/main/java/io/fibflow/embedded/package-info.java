/**
 * A real Kafka broker (KRaft) and a Confluent-compatible Schema Registry in this JVM, for
 * the dev stack and for integration tests: {@link io.fibflow.embedded.EmbeddedKafkaBroker},
 * {@link io.fibflow.embedded.EmbeddedSchemaRegistry}, and one shared pair per JVM through
 * {@link io.fibflow.embedded.SharedKafka} or the JUnit extension in
 * {@code io.fibflow.embedded.junit}.
 */
package io.fibflow.embedded;
