package io.fibflow.embedded.internals.registry;

import io.fibflow.embedded.internals.registry.StoredRecords.ConfigValue;
import io.fibflow.embedded.internals.registry.StoredRecords.Key;
import io.fibflow.embedded.internals.registry.StoredRecords.SchemaValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's rules: identity by canonical Avro text, global ids, per-subject versions,
 * compatibility checks and configuration. Every change is first appended to the
 * {@link SchemaLog} and then applied to memory, under one lock, so that ids and versions
 * are handed out in log order.
 */
public final class RegistryService {
    public static final String AVRO = "AVRO";

    private final SchemaLog schemaLog;
    private final RegistryState state;

    public RegistryService(SchemaLog schemaLog, CompatibilityLevel defaultLevel) {
        this.schemaLog = schemaLog;
        this.state = new RegistryState(defaultLevel);
    }

    /** Rebuilds the state from the log; returns how many records were read. */
    public synchronized int load(Duration timeout) {
        return schemaLog.replay(state::apply, timeout);
    }

    /** Registers a schema under a subject, or returns the id it already has there. */
    public synchronized int register(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        String canonical = schema.toString();
        List<SchemaValue> live = state.liveVersions(subject);
        for (SchemaValue version : live) {
            if (version.schema().equals(canonical)) {
                return version.id();
            }
        }
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<String> problems = level.incompatibilities(schema, level.relevant(parseAll(live)));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible("Schema being registered is incompatible with an earlier schema "
                + "for subject \"" + subject + "\" (compatibility " + level + "): " + String.join("; ", problems));
        }
        int id = state.idOf(canonical).orElse(state.nextId());
        int version = state.nextVersion(subject);
        write(Key.schema(subject, version), new SchemaValue(subject, version, id, canonical, null, false));
        return id;
    }

    /** The version of a subject that holds this schema. */
    public synchronized SchemaValue lookup(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        List<SchemaValue> live = requireSubject(subject);
        String canonical = schema.toString();
        return live.stream().filter(v -> v.schema().equals(canonical)).findFirst()
            .orElseThrow(() -> RegistryException.schemaNotFound("not registered under subject '" + subject + "'"));
    }

    public synchronized String schemaById(int id) {
        return state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound("id " + id));
    }

    public synchronized List<SchemaValue> versionsWithId(int id) {
        schemaById(id);
        return state.liveVersionsWithId(id);
    }

    public synchronized List<String> subjects() {
        return state.liveSubjects();
    }

    public synchronized List<Integer> versions(String subject) {
        return requireSubject(subject).stream().map(SchemaValue::version).toList();
    }

    /** A version by number or {@code latest}. */
    public synchronized SchemaValue version(String subject, String versionText) {
        List<SchemaValue> live = requireSubject(subject);
        if ("latest".equals(versionText) || "-1".equals(versionText)) {
            return live.get(live.size() - 1);
        }
        int number = parseVersion(versionText);
        return live.stream().filter(v -> v.version() == number).findFirst()
            .orElseThrow(() -> RegistryException.versionNotFound(subject, versionText));
    }

    /** Soft-deletes every version of a subject; returns their numbers. */
    public synchronized List<Integer> deleteSubject(String subject) {
        List<SchemaValue> live = requireSubject(subject);
        for (SchemaValue version : live) {
            write(Key.schema(subject, version.version()), version.asDeleted());
        }
        return live.stream().map(SchemaValue::version).toList();
    }

    /**
     * Checks a schema against one version ({@code versionText} given) or, with
     * {@code versionText} null or {@code latest}, against the versions the level names.
     */
    public synchronized List<String> incompatibilities(String subject, String versionText, String schemaText,
                                                       String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<Schema> against;
        if (versionText == null || "latest".equals(versionText)) {
            against = level.relevant(parseAll(requireSubject(subject)));
        } else {
            against = List.of(parse(version(subject, versionText).schema(), AVRO));
        }
        return level.incompatibilities(schema, against);
    }

    public synchronized CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    public synchronized void setGlobalLevel(CompatibilityLevel level) {
        write(Key.config(null), new ConfigValue(level.name()));
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return state.subjectLevel(subject);
    }

    public synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
        write(Key.config(subject), new ConfigValue(level.name()));
    }

    /** Removes a subject's own level, which then follows the global one; returns the old level. */
    public synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
        CompatibilityLevel old = state.subjectLevel(subject)
            .orElseThrow(() -> RegistryException.subjectConfigNotFound(subject));
        byte[] key = StoredRecords.write(Key.config(subject));
        schemaLog.append(key, null);
        state.apply(key, null);
        return old;
    }

    private void write(Key key, Object value) {
        byte[] keyBytes = StoredRecords.write(key);
        byte[] valueBytes = StoredRecords.write(value);
        schemaLog.append(keyBytes, valueBytes);
        state.apply(keyBytes, valueBytes);
    }

    private List<SchemaValue> requireSubject(String subject) {
        List<SchemaValue> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return live;
    }

    private static List<Schema> parseAll(List<SchemaValue> versions) {
        return versions.stream().map(v -> parse(v.schema(), AVRO)).toList();
    }

    private static int parseVersion(String text) {
        try {
            int number = Integer.parseInt(text);
            if (number < 1) {
                throw RegistryException.invalidVersion(text);
            }
            return number;
        } catch (NumberFormatException e) {
            throw RegistryException.invalidVersion(text);
        }
    }

    static Schema parse(String text, String schemaType) {
        if (schemaType != null && !AVRO.equalsIgnoreCase(schemaType)) {
            throw RegistryException.invalidSchema("schema type " + schemaType + " is not supported; only AVRO", null);
        }
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("empty schema", null);
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            // SchemaParseException, and AvroRuntimeException for bad names or defaults.
            throw RegistryException.invalidSchema(e.getMessage(), e);
        }
    }
}
