package io.fibflow.api.topics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for fibflow topic names (DESIGN §2), with an optional prefix so that several
 * environments can share a cluster.
 *
 * <pre>{@code
 * TopicNames names = TopicNames.withPrefix("staging.");
 * names.tasks("gpu");          // staging.tasks.gpu
 * names.delay(DelayTier.parse("30s")); // staging.tasks.delay.30s
 * }</pre>
 */
public final class TopicNames {

    /** Capability names become topic-name suffixes, so they use Kafka's legal characters only. */
    private static final Pattern CAPABILITY = Pattern.compile("[a-zA-Z0-9_-]{1,100}");
    private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,100}");

    public static final String TASKS = "tasks.";
    public static final String DELAY = "tasks.delay.";
    public static final String DEAD_LETTER = "tasks.dead-letter";
    public static final String EVENTS = "task-events";
    public static final String COMMANDS = "task-commands";
    public static final String CANCELLATIONS = "task-cancellations";
    public static final String SCHEDULES = "task-schedules";
    public static final String WORKERS = "workers";

    private static final TopicNames DEFAULT = new TopicNames("");

    private final String prefix;

    private TopicNames(String prefix) {
        this.prefix = prefix;
    }

    /** Names without a prefix. */
    public static TopicNames defaults() {
        return DEFAULT;
    }

    /** Names that all start with {@code prefix} (letters, digits, '.', '_' and '-'). */
    public static TopicNames withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' may only contain letters, digits, '.', '_' and '-'");
        }
        return prefix.isEmpty() ? DEFAULT : new TopicNames(prefix);
    }

    /** Checks a capability (pool) name and returns it; throws naming the offending value. */
    public static String requireValidCapability(String capability) {
        if (capability == null || !CAPABILITY.matcher(capability).matches()) {
            throw new IllegalArgumentException("capability '" + capability
                    + "' must be 1-100 letters, digits, '_' or '-' (it becomes the topic tasks.<capability>)");
        }
        return capability;
    }

    public String prefix() {
        return prefix;
    }

    public String tasks(String capability) {
        String c = requireValidCapability(capability);
        if (c.equals("delay") || c.equals("dead-letter")) {
            throw new IllegalArgumentException("capability '" + c + "' is reserved for fibflow's own topics");
        }
        return prefix + TASKS + c;
    }

    /** The capability of a task topic name, or null when the name is not a capability topic. */
    public String capabilityOf(String topic) {
        if (topic == null || !topic.startsWith(prefix + TASKS)) {
            return null;
        }
        String rest = topic.substring(prefix.length() + TASKS.length());
        if (rest.startsWith("delay.") || rest.equals("dead-letter") || !CAPABILITY.matcher(rest).matches()) {
            return null;
        }
        return rest;
    }

    public String delay(DelayTier tier) {
        return prefix + DELAY + tier.label();
    }

    public String deadLetter() {
        return prefix + DEAD_LETTER;
    }

    public String events() {
        return prefix + EVENTS;
    }

    public String commands() {
        return prefix + COMMANDS;
    }

    public String cancellations() {
        return prefix + CANCELLATIONS;
    }

    public String schedules() {
        return prefix + SCHEDULES;
    }

    public String workers() {
        return prefix + WORKERS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicNames other && other.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return "TopicNames[prefix='" + prefix + "']";
    }
}
