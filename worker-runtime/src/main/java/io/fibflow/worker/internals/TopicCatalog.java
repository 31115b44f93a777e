package io.fibflow.worker.internals;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Which topics exist, cached: a child for a capability nobody created must fail its parent with
 * UNKNOWN_CAPABILITY rather than block a transaction on a topic the broker will never create.
 */
final class TopicCatalog {

    private static final long REFRESH_MIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admin admin;
    private volatile Set<String> topics = Set.of();
    private volatile long refreshedAt;

    TopicCatalog(Admin admin) {
        this.admin = admin;
    }

    boolean exists(String topic) {
        if (topics.contains(topic)) {
            return true;
        }
        if (System.nanoTime() - refreshedAt > REFRESH_MIN_NANOS) {
            refresh();
        }
        return topics.contains(topic);
    }

    synchronized void refresh() {
        try {
            topics = admin.listTopics().names().get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Keep the last known set; a missing topic is reported by the caller.
        }
        refreshedAt = System.nanoTime();
    }
}
