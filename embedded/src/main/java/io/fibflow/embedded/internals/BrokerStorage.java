package io.fibflow.embedded.internals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaProperties;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoter;
import org.apache.kafka.raft.DynamicVoters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk layout of one embedded broker: a single log directory that also holds the
 * KRaft metadata log, formatted like {@code kafka-storage format --standalone}, plus a
 * small file remembering the ports so that a restart on the same directory keeps its
 * addresses (the controller's address is part of the formatted voter set).
 */
public final class BrokerStorage {
    private static final Logger log = LoggerFactory.getLogger(BrokerStorage.class);
    private static final String PORTS_FILE = "fibflow-ports.properties";

    private final Path dataDir;
    private final Path logDir;

    public BrokerStorage(Path dataDir) {
        this.dataDir = dataDir;
        this.logDir = dataDir.resolve("kraft-logs");
    }

    public Path logDir() {
        return logDir;
    }

    /** The cluster id already written in meta.properties, if the directory was formatted. */
    public Optional<String> existingClusterId() {
        if (!Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return Optional.empty();
        }
        try {
            MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                .addLogDirs(List.of(logDir.toString()))
                .load();
            MetaProperties props = ensemble.logDirProps().get(logDir.toString());
            return props == null ? Optional.empty() : props.clusterId();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read meta.properties under " + logDir, e);
        }
    }

    /**
     * Formats the directory for a single combined broker and controller that is the only
     * voter of a dynamic (KIP-853) quorum, and returns the new cluster id.
     */
    public String format(int nodeId, String controllerListener, String host, int controllerPort)
        throws Exception {
        Files.createDirectories(logDir);
        String clusterId = Uuid.randomUuid().toString();
        DynamicVoter self = new DynamicVoter(Uuid.randomUuid(), nodeId, host, controllerPort);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                .setPrintStream(print)
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(controllerListener)
                .setHasDynamicQuorum(true)
                .setInitialControllers(new DynamicVoters(List.of(self)))
                .run();
        }
        log.debug("Formatted {}: {}", logDir, output.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }

    /** Ports used the last time this directory ran, so that a restart keeps them. */
    public OptionalInt rememberedPort(String name) {
        Path file = dataDir.resolve(PORTS_FILE);
        if (!Files.exists(file)) {
            return OptionalInt.empty();
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        String value = props.getProperty(name);
        return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value));
    }

    public void rememberPorts(int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("broker.port", Integer.toString(brokerPort));
        props.setProperty("controller.port", Integer.toString(controllerPort));
        Path file = dataDir.resolve(PORTS_FILE);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "Ports of the fibflow embedded broker using this directory");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
