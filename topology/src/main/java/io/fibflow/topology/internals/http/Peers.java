package io.fibflow.topology.internals.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.topology.FibflowStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other topology instances, found through Streams metadata ({@code application.server}):
 * the owner of a task id, every instance for fan-out, and HTTP to reach them.
 */
final class Peers {

    static final String FORWARDED = "X-Fibflow-Forwarded";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    Peers(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    HostInfo self() {
        return self;
    }

    /** Where a task id's state lives, or unavailable while Streams does not know. */
    KeyQueryMetadata ownerOf(String taskId) {
        KeyQueryMetadata md = streams.queryMetadataForKey(FibflowStores.TASK_STATE, taskId, new StringSerializer());
        if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE || md.activeHost() == null) {
            throw new Unavailable("task state is not queryable yet: the topology is " + streams.state());
        }
        return md;
    }

    /** Every instance that hosts task-state partitions (active or standby). */
    List<HostInfo> all() {
        List<HostInfo> hosts = streams.streamsMetadataForStore(FibflowStores.TASK_STATE).stream()
                .map(StreamsMetadata::hostInfo).distinct().toList();
        if (hosts.isEmpty()) {
            throw new Unavailable("no instance hosts task state yet: the topology is " + streams.state());
        }
        return hosts;
    }

    HttpResponse<String> send(HostInfo host, String method, String pathAndQuery, String body) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header(FORWARDED, "true")
                .header("Content-Type", "application/json");
        req = body == null ? req.method(method, HttpRequest.BodyPublishers.noBody())
                : req.method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("instance " + host.host() + ":" + host.port() + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + host.host() + ":" + host.port());
        }
    }

    /** A fan-out sub-request: the JSON a peer returns for its own partitions. */
    JsonNode fetchLocal(HostInfo host, String pathAndQuery) {
        HttpResponse<String> r = send(host, "GET", pathAndQuery, null);
        if (r.statusCode() != 200) {
            throw new Unavailable("instance " + host.host() + ":" + host.port() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        try {
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw new Unavailable("instance " + host.host() + ":" + host.port() + " answered malformed JSON");
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
