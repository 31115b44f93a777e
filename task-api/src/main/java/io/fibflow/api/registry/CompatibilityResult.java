package io.fibflow.api.registry;

import java.util.List;

/**
 * The registry's answer to a compatibility test: whether the schema may be registered, and why not.
 *
 * @param compatible whether the schema is compatible under the subject's level
 * @param messages   the registry's explanations (empty when compatible or when it gave none)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
