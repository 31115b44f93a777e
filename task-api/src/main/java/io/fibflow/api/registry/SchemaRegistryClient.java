package io.fibflow.api.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible Schema Registry, limited to Avro schemas.
 *
 * <p>Implementations cache what never changes (id to schema, subject and schema to id and version),
 * so that a serializer or deserializer makes no registry call after the first record of a type.
 * Every method throws a {@link SchemaRegistryException} subclass on failure; see each one.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject}, or returns its id if it is already there.
     *
     * @throws IncompatibleSchemaException  if the subject's compatibility level refuses it
     * @throws InvalidSchemaException       if the registry cannot parse it
     * @throws RegistryUnavailableException if the registry cannot be reached after retries
     */
    int register(String subject, Schema schema);

    /**
     * Finds {@code schema} among the versions of {@code subject} without registering it.
     *
     * @throws SchemaNotFoundException  if the schema is not registered under the subject
     * @throws SubjectNotFoundException if the subject does not exist
     */
    SchemaVersion lookup(String subject, Schema schema);

    /**
     * Returns the schema with a registry-wide id, as the wire format carries it.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    Schema getById(int id);

    /** Returns every subject the registry knows. */
    List<String> subjects();

    /**
     * Returns the version numbers registered under {@code subject}, oldest first.
     *
     * @throws SubjectNotFoundException if the subject does not exist
     */
    List<Integer> versions(String subject);

    /**
     * Returns one version of {@code subject}.
     *
     * @throws SubjectNotFoundException if the subject does not exist
     * @throws SchemaNotFoundException  if the version does not exist
     */
    SchemaVersion getVersion(String subject, int version);

    /**
     * Returns the newest version of {@code subject}; never cached, since it changes.
     *
     * @throws SubjectNotFoundException if the subject does not exist
     */
    SchemaVersion getLatestVersion(String subject);

    /**
     * Tests whether {@code schema} could be registered under {@code subject}, checked against the
     * latest version (the subject's own level decides the direction). A subject that does not exist
     * yet accepts any schema.
     */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** Tests whether {@code schema} is compatible with one version of {@code subject}. */
    CompatibilityResult testCompatibility(String subject, Schema schema, int version);

    /** Returns the registry-wide compatibility level. */
    CompatibilityLevel getCompatibility();

    /** Returns the level in force for {@code subject}: its own, or the global one if it has none. */
    CompatibilityLevel getCompatibility(String subject);

    /** Sets the registry-wide compatibility level. */
    void setCompatibility(CompatibilityLevel level);

    /** Sets the compatibility level of one subject. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
