package io.fibflow.topology.internals.http;

import io.fibflow.api.client.TaskClient;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API on Javalin: routes, JSON, and errors as 400/404/503 with a message. */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private volatile Peers peers;
    private volatile KafkaStreams streams;
    private volatile LocalStores stores;
    private volatile WorkersView workers;

    public ApiServer(TaskClient client) {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson());
        });
        Supplier<LocalStores> s = () -> stores;
        Supplier<Peers> p = () -> peers;
        QueryRoutes queries = new QueryRoutes(s, p);
        queries.register(app);
        new CommandRoutes(client, queries::lookup).register(app);
        app.get("/api/v1/health", ctx -> {
            KafkaStreams k = streams;
            String state = k == null ? "STARTING" : k.state().name();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", state.equals("RUNNING") ? "UP" : "DEGRADED");
            out.put("streams", state);
            out.put("instance", peers == null ? null : peers.self().host() + ":" + peers.self().port());
            ctx.status(state.equals("RUNNING") ? 200 : 503).json(out);
        });
        app.get("/api/v1/workers", ctx -> {
            WorkersView w = workers;
            if (w == null) {
                throw new Unavailable("the workers view is starting");
            }
            ctx.json(w.snapshot());
        });
        app.exception(BadRequest.class, (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage(), "field", e.field)));
        app.exception(Unavailable.class, (e, ctx) -> ctx.status(503).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            log.warn("request {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", e.toString()));
        });
    }

    /** Starts listening; returns the bound port (useful with port 0). */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    /**
     * Connects the API to the running Streams instance, reachable by peers at {@code host:port};
     * {@code stateTopic} is the source topic partitioned like the task-state store (task-events).
     */
    public void attach(KafkaStreams streams, String stateTopic, String host, int port, WorkersView workers) {
        HostInfo self = new HostInfo(host, port);
        this.peers = new Peers(streams, self);
        this.stores = new LocalStores(streams, stateTopic, self);
        this.workers = workers;
        this.streams = streams;
    }

    @Override
    public void close() {
        app.stop();
    }
}
