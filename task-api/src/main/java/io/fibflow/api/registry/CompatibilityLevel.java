package io.fibflow.api.registry;

import java.util.Locale;

/**
 * A Schema Registry compatibility level, spelled on the wire exactly as the enum constant.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /**
     * Parses a level as registries spell it, ignoring case.
     *
     * @throws IllegalArgumentException naming the value when it is not a level
     */
    public static CompatibilityLevel parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("compatibility level must not be null");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compatibility level '" + value + "'", e);
        }
    }
}
