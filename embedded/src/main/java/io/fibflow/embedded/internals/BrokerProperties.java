package io.fibflow.embedded.internals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of a one-node KRaft broker that is also its own controller, tuned for
 * tests and the dev stack: every internal topic fits one replica, groups form at once and
 * fail over within seconds, and topics are only ever created on purpose.
 */
public final class BrokerProperties {
    public static final int NODE_ID = 1;
    public static final String BROKER_LISTENER = "PLAINTEXT";
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {
    }

    public static Properties build(
        Path logDir, String host, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
            + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        props.put("listener.security.protocol.map",
            BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());

        // One node: every internal topic has one replica and an ISR of one.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("num.partitions", "1");

        // DESIGN §2: a misspelled topic must fail, never appear.
        props.put("auto.create.topics.enable", "false");

        // Groups form at once and a dead member is noticed within seconds.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.min.session.timeout.ms", "1000");
        props.put("group.consumer.min.session.timeout.ms", "1000");
        props.put("group.consumer.session.timeout.ms", "6000");
        props.put("group.consumer.min.heartbeat.interval.ms", "500");
        props.put("group.consumer.heartbeat.interval.ms", "1000");
        props.put("group.streams.initial.rebalance.delay.ms", "0");
        props.put("group.streams.min.session.timeout.ms", "1000");
        props.put("group.streams.session.timeout.ms", "6000");
        props.put("group.streams.min.heartbeat.interval.ms", "500");
        props.put("group.streams.heartbeat.interval.ms", "1000");
        props.put("group.share.min.session.timeout.ms", "1000");
        props.put("group.share.session.timeout.ms", "6000");
        props.put("group.share.min.heartbeat.interval.ms", "500");
        props.put("group.share.heartbeat.interval.ms", "1000");
        // A crashed worker's open transaction blocks read_committed readers and its partitions'
        // offset fetches until the coordinator aborts it: check for expired ones every second
        // (workers keep transaction.timeout.ms short; see WorkerConfig).
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

        // A small footprint on a laptop or a two-core CI runner; the log cleaner's default
        // 128 MiB dedupe buffer alone would dominate the heap.
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        props.put("log.cleaner.io.buffer.size", Integer.toString(256 * 1024));

        props.putAll(overrides);
        return props;
    }
}
