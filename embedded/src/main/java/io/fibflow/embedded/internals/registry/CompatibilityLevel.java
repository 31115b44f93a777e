package io.fibflow.embedded.internals.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Confluent's compatibility levels, checked with Avro's own reader/writer resolution rules.
 *
 * <p>BACKWARD: the new schema reads data written with the old one. FORWARD: the old schema
 * reads data written with the new one. FULL: both. The plain levels compare with the
 * latest version only; the {@code _TRANSITIVE} ones with every version.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    public static CompatibilityLevel parse(String text) {
        if (text == null) {
            throw RegistryException.invalidCompatibilityLevel(null);
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibilityLevel(text);
        }
    }

    /** The versions a new schema must be checked against, oldest first. */
    public List<Schema> relevant(List<Schema> existingOldestFirst) {
        if (transitive || existingOldestFirst.isEmpty()) {
            return existingOldestFirst;
        }
        return List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
    }

    /**
     * Checks a candidate against the given versions under this level's directions only
     * (the caller has already chosen which versions matter).
     *
     * @return the reasons it is incompatible; empty when compatible
     */
    public List<String> incompatibilities(Schema candidate, List<Schema> against) {
        List<String> messages = new ArrayList<>();
        for (Schema existing : against) {
            if (backward) {
                describe(candidate, existing, "the new schema reading data written with an existing version", messages);
            }
            if (forward) {
                describe(existing, candidate, "an existing version reading data written with the new schema", messages);
            }
        }
        return messages;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> messages) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            messages.add(String.format("{errorType:'%s', description:'%s: %s', location:'%s'}",
                incompatibility.getType(), direction, incompatibility.getMessage(),
                incompatibility.getLocation()));
        }
    }
}
