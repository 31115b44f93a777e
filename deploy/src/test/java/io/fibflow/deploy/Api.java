package io.fibflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small HTTP client for the topology API in tests. */
final class Api {

    record Response(int status, JsonNode body, String raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Api(String base) {
        this.base = base;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A GET carrying one extra header (e.g. the mark of a request already forwarded by a peer). */
    Response get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header(header, value).GET());
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private Response send(HttpRequest.Builder req) {
        try {
            HttpResponse<String> r = http.send(req.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (Exception e) {
                body = null;
            }
            return new Response(r.statusCode(), body, r.body());
        } catch (Exception e) {
            throw new IllegalStateException("request to " + base + " failed", e);
        }
    }

    /**
     * Polls a GET until the predicate holds, within a deadline; returns the last response. A server
     * that is not listening yet counts as not done.
     */
    Response await(String path, Duration timeout, Predicate<Response> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(path);
                if (done.test(last)) {
                    return last;
                }
            } catch (IllegalStateException notListening) {
                last = null;
            }
            Thread.sleep(50); // polling the API with a deadline
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer " + (last == null ? null
                : last.status() + " " + last.raw()));
    }

    /** The task's first event of {@code type} in its history; fails when it has none. */
    JsonNode firstEvent(String taskId, String type) {
        Response events = get("/tasks/" + taskId + "/events");
        for (JsonNode e : events.body()) {
            if (e.path("type").asText().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event for " + taskId + ": " + events.raw());
    }

    static boolean status(Response r, String status) {
        return r.status() == 200 && status.equals(r.body().path("status").asText());
    }
}
