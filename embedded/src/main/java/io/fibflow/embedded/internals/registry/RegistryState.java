package io.fibflow.embedded.internals.registry;

import io.fibflow.embedded.internals.registry.StoredRecords.ConfigValue;
import io.fibflow.embedded.internals.registry.StoredRecords.Key;
import io.fibflow.embedded.internals.registry.StoredRecords.SchemaValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry knows, rebuilt from the {@code _schemas} topic: it changes only through
 * {@link #apply}, so a replay and a live write produce the same state. Not thread-safe;
 * the owning service serialises access.
 */
final class RegistryState {
    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, NavigableMap<Integer, SchemaValue>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final CompatibilityLevel defaultLevel;
    private CompatibilityLevel globalLevel;
    private int maxId;

    RegistryState(CompatibilityLevel defaultLevel) {
        this.defaultLevel = defaultLevel;
        this.globalLevel = defaultLevel;
    }

    void apply(byte[] keyBytes, byte[] valueBytes) {
        Key key = StoredRecords.read(keyBytes, Key.class);
        if (StoredRecords.SCHEMA.equals(key.keytype())) {
            if (valueBytes == null) {
                // A compaction tombstone for a version: forget the version, keep the id.
                Optional.ofNullable(subjects.get(key.subject())).ifPresent(v -> v.remove(key.version()));
                return;
            }
            SchemaValue value = StoredRecords.read(valueBytes, SchemaValue.class);
            schemasById.put(value.id(), value.schema());
            idsBySchema.putIfAbsent(value.schema(), value.id());
            maxId = Math.max(maxId, value.id());
            subjects.computeIfAbsent(value.subject(), s -> new TreeMap<>()).put(value.version(), value);
        } else if (StoredRecords.CONFIG.equals(key.keytype())) {
            CompatibilityLevel level = valueBytes == null ? null
                : CompatibilityLevel.parse(StoredRecords.read(valueBytes, ConfigValue.class).compatibilityLevel());
            if (key.subject() == null) {
                globalLevel = level == null ? defaultLevel : level;
            } else if (level == null) {
                subjectLevels.remove(key.subject());
            } else {
                subjectLevels.put(key.subject(), level);
            }
        } else {
            log.warn("Ignoring a _schemas record of unknown type {}", key.keytype());
        }
    }

    Optional<String> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idsBySchema.get(canonicalSchema));
    }

    int nextId() {
        return maxId + 1;
    }

    /** Live (not deleted) versions of a subject, oldest first; empty if none. */
    List<SchemaValue> liveVersions(String subject) {
        List<SchemaValue> live = new ArrayList<>();
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions != null) {
            versions.values().stream().filter(v -> !v.deleted()).forEach(live::add);
        }
        return live;
    }

    /** Next version number; soft-deleted versions keep their numbers, as in Confluent's registry. */
    int nextVersion(String subject) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    List<String> liveSubjects() {
        return subjects.keySet().stream().filter(s -> !liveVersions(s).isEmpty()).toList();
    }

    List<SchemaValue> liveVersionsWithId(int id) {
        List<SchemaValue> found = new ArrayList<>();
        for (String subject : subjects.keySet()) {
            liveVersions(subject).stream().filter(v -> v.id() == id).forEach(found::add);
        }
        return found;
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElse(globalLevel);
    }
}
