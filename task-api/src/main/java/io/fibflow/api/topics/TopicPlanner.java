package io.fibflow.api.topics;

import io.fibflow.api.FibflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics of a {@link TopicPlan} that are missing and verifies the ones that exist,
 * through the Admin API.
 *
 * <p>Verification checks what correctness depends on: the exact partition count of task-events
 * and task-commands, at least the planned partitions elsewhere, the cleanup policy, the
 * timestamp type of delay tiers, and a {@code max.message.bytes} no smaller than the limit.
 */
public final class TopicPlanner {

    /** Configs whose value on an existing topic must equal the plan's. */
    private static final Set<String> EXACT_CONFIGS = Set.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);

    private final TopicPlan plan;

    public TopicPlanner(TopicPlan plan) {
        this.plan = plan;
    }

    /** What {@link #ensure} did: the topics it created and those it found and verified. */
    public record Result(List<String> created, List<String> verified) {
    }

    /**
     * Creates missing topics and verifies existing ones.
     *
     * @throws TopicPlanMismatchException when an existing topic contradicts the plan
     */
    public Result ensure(Admin admin, Duration timeout) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicSpec> specs = plan.topics();
            List<NewTopic> missing = specs.stream()
                    .filter(s -> !existing.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                    .toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()));
                for (NewTopic topic : missing) {
                    try {
                        result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        created.add(topic.name());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            awaitVisible(admin, created, timeout);
            List<String> toVerify = specs.stream().map(TopicSpec::name).filter(n -> !created.contains(n)).toList();
            verify(admin, specs, toVerify, timeout);
            return new Result(List.copyOf(created), toVerify);
        } catch (ExecutionException e) {
            throw new FibflowException("could not create or verify topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new FibflowException("could not create or verify topics within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FibflowException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until the broker serves metadata for newly created topics: creation completes on the
     * controller before every broker knows the topic, and clients started right after would
     * otherwise see UNKNOWN_TOPIC_OR_PARTITION.
     */
    private static void awaitVisible(Admin admin, List<String> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (described.values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new FibflowException("could not describe new topics: " + e.getCause().getMessage(), e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("new topics " + topics + " not visible within " + timeout);
            }
            Thread.sleep(50); // polling the broker's metadata, not synchronising threads
        }
    }

    private void verify(Admin admin, List<TopicSpec> specs, Collection<String> names, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (names.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, TopicSpec> byName = specs.stream().collect(Collectors.toMap(TopicSpec::name, s -> s));
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            TopicSpec spec = byName.get(name);
            int actual = descriptions.get(name).partitions().size();
            if (plan.requiresExactPartitions(name) ? actual != spec.partitions() : actual < spec.partitions()) {
                problems.add(name + " has " + actual + " partitions, the plan needs "
                        + (plan.requiresExactPartitions(name) ? "exactly " : "at least ") + spec.partitions());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            for (var wanted : spec.configs().entrySet()) {
                var entry = config.get(wanted.getKey());
                String value = entry == null ? null : entry.value();
                if (EXACT_CONFIGS.contains(wanted.getKey()) && !wanted.getValue().equals(value)) {
                    problems.add(name + " has " + wanted.getKey() + "=" + value + ", the plan needs " + wanted.getValue());
                }
                if (wanted.getKey().equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                        && (value == null || Integer.parseInt(value) < Integer.parseInt(wanted.getValue()))) {
                    problems.add(name + " has max.message.bytes=" + value + ", below the record-size limit "
                            + wanted.getValue());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicPlanMismatchException(problems);
        }
    }
}
