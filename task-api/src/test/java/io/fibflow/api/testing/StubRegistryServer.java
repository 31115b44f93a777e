package io.fibflow.api.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A canned-response Schema Registry on the JDK's HTTP server: each (method, path) answers from a
 * queue of responses (the last one repeats), and every request is recorded.
 */
public final class StubRegistryServer implements AutoCloseable {

    /** One recorded request; {@code path} is relative to the base path and includes the query. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", e.getValue());
                }
            }
            return null;
        }
    }

    /** A canned response. */
    public record Response(int status, String body, Behaviour behaviour) {
        public static Response json(int status, String body) {
            return new Response(status, body, Behaviour.NORMAL);
        }

        public static Response error(int status, int errorCode, String message) {
            return json(status, "{\"error_code\":" + errorCode + ",\"message\":\"" + message + "\"}");
        }

        /** Promises a long body, sends a few bytes and closes the connection. */
        public static Response closeMidBody() {
            return new Response(200, "{\"id\"", Behaviour.CLOSE_MID_BODY);
        }

        /** Never answers until the server is closed. */
        public static Response hang() {
            return new Response(0, null, Behaviour.HANG);
        }
    }

    public enum Behaviour { NORMAL, CLOSE_MID_BODY, HANG }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String basePath;
    private final Map<String, Deque<Response>> routes = new HashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    public StubRegistryServer() throws IOException {
        this("");
    }

    /** @param basePath a prefix such as {@code /apis/ccompat/v7}, or "" */
    public StubRegistryServer(String basePath) throws IOException {
        this.basePath = basePath;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Queues responses for (method, path); the last one keeps answering. */
    public synchronized StubRegistryServer on(String method, String path, Response... responses) {
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).addAll(List.of(responses));
        return this;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!raw.startsWith(basePath)) {
                send(exchange, Response.json(404, "<html>not found</html>"));
                return;
            }
            String path = raw.substring(basePath.length()) + (query == null ? "" : "?" + query);
            Request request = new Request(exchange.getRequestMethod(), path,
                    Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            Response response = next(request.method() + " " + path);
            if (response == null) {
                response = next(request.method() + " " + raw.substring(basePath.length()));
            }
            if (response == null) {
                response = Response.error(404, 404, "no stub for " + request.method() + " " + path);
            }
            send(exchange, response);
        }
    }

    private synchronized Response next(String key) {
        Deque<Response> queue = routes.get(key);
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        switch (response.behaviour()) {
            case HANG -> {
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case CLOSE_MID_BODY -> {
                exchange.sendResponseHeaders(200, 1000);
                OutputStream out = exchange.getResponseBody();
                out.write(response.body().getBytes(StandardCharsets.UTF_8));
                out.flush();
                // Closing the exchange now ends the connection 995 bytes short.
            }
            case NORMAL -> {
                byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        }
    }

    /** Returns a loopback port nothing listens on (bound, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
