package io.fibflow.api.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory {@link SchemaRegistryClient} for tests: it behaves like a Confluent registry (global
 * ids shared by equal schemas, versions per subject, compatibility levels enforced with Avro's
 * {@link SchemaCompatibility}) but keeps everything in this object.
 *
 * <p>Not for production: nothing is shared between processes. Use it where a unit test needs a
 * registry, e.g. {@code new AvroSerde<>(Task.class, new InMemorySchemaRegistryClient())}.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<String, List<SchemaVersion>> subjects = new LinkedHashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        List<SchemaVersion> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (SchemaVersion v : versions) {
            if (v.schema().equals(schema)) {
                return v.id();
            }
        }
        CompatibilityResult result = check(subject, schema, versions);
        if (!result.compatible()) {
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\": " + result.messages(), subject, 409, 409);
        }
        int id = idsBySchema.computeIfAbsent(schema, s -> nextId++);
        schemasById.put(id, schema);
        versions.add(new SchemaVersion(subject, id, versions.size() + 1, schema));
        return id;
    }

    @Override
    public synchronized SchemaVersion lookup(String subject, Schema schema) {
        for (SchemaVersion v : existing(subject)) {
            if (v.schema().equals(schema)) {
                return v;
            }
        }
        throw new SchemaNotFoundException("Schema not found under subject " + subject, subject, null, 404, 40403);
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema " + id + " not found", null, id, 404, 40403);
        }
        return schema;
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return existing(subject).stream().map(SchemaVersion::version).toList();
    }

    @Override
    public synchronized SchemaVersion getVersion(String subject, int version) {
        List<SchemaVersion> versions = existing(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaNotFoundException("Version " + version + " not found for subject " + subject,
                    subject, null, 404, 40402);
        }
        return versions.get(version - 1);
    }

    @Override
    public synchronized SchemaVersion getLatestVersion(String subject) {
        List<SchemaVersion> versions = existing(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
        List<SchemaVersion> versions = subjects.get(subject);
        return versions == null ? new CompatibilityResult(true, List.of()) : check(subject, schema, versions);
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema, int version) {
        SchemaVersion v = getVersion(subject, version);
        CompatibilityLevel level = getCompatibility(subject);
        return check(level, schema, List.of(v));
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(CompatibilityLevel level) {
        globalLevel = Objects.requireNonNull(level, "level");
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, Objects.requireNonNull(level, "level"));
    }

    private List<SchemaVersion> existing(String subject) {
        List<SchemaVersion> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException("Subject '" + subject + "' not found.", subject, 404, 40401);
        }
        return versions;
    }

    private CompatibilityResult check(String subject, Schema schema, List<SchemaVersion> versions) {
        if (versions.isEmpty()) {
            return new CompatibilityResult(true, List.of());
        }
        CompatibilityLevel level = getCompatibility(subject);
        boolean transitive = level.name().endsWith("_TRANSITIVE");
        List<SchemaVersion> against = transitive ? versions : List.of(versions.get(versions.size() - 1));
        return check(level, schema, against);
    }

    private static CompatibilityResult check(CompatibilityLevel level, Schema schema, List<SchemaVersion> against) {
        List<String> messages = new ArrayList<>();
        boolean backward = level.name().startsWith("BACKWARD") || level.name().startsWith("FULL");
        boolean forward = level.name().startsWith("FORWARD") || level.name().startsWith("FULL");
        for (SchemaVersion old : against) {
            if (backward) {
                collect(SchemaCompatibility.checkReaderWriterCompatibility(schema, old.schema()), "new reader, version "
                        + old.version() + " writer", messages);
            }
            if (forward) {
                collect(SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), schema), "version "
                        + old.version() + " reader, new writer", messages);
            }
        }
        return new CompatibilityResult(messages.isEmpty(), messages);
    }

    private static void collect(SchemaCompatibility.SchemaPairCompatibility pair, String direction, List<String> messages) {
        for (SchemaCompatibility.Incompatibility i : pair.getResult().getIncompatibilities()) {
            messages.add(direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
        }
    }
}
