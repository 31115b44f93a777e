package io.fibflow.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.api.FibflowException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads task state from, and sends commands through, the topology's HTTP API for {@link TaskClient}. */
final class ApiReader {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    ApiReader(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Optional<TaskView> get(String id) {
        HttpResponse<String> r = send("/tasks/" + encode(id));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(TaskView.of(body(r)));
    }

    TaskPage list(String status, String name, String tag, int limit, String cursor) {
        StringBuilder q = new StringBuilder("/tasks?limit=").append(limit);
        if (status != null) {
            q.append("&status=").append(encode(status));
        }
        if (name != null) {
            q.append("&name=").append(encode(name));
        }
        if (tag != null) {
            q.append("&tag=").append(encode(tag));
        }
        if (cursor != null) {
            q.append("&cursor=").append(encode(cursor));
        }
        JsonNode page = body(send(q.toString()));
        List<TaskView> tasks = new ArrayList<>();
        page.path("tasks").forEach(n -> tasks.add(TaskView.of(n)));
        return new TaskPage(tasks, page.path("nextCursor").asText(null));
    }

    /** POST /tasks/{id}/{command}; returns the command id, or throws {@link CommandRefusedException}. */
    String command(String id, String command, JsonNode input) {
        String body = null;
        if (input != null) {
            body = mapper.createObjectNode().set("input", input).toString();
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/tasks/" + encode(id) + "/" + command))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = exchange(req, "/tasks/" + id + "/" + command, false);
        if (r.statusCode() != 202) {
            JsonNode error = body(r).path("error");
            throw new CommandRefusedException(r.statusCode(), error.isMissingNode() ? r.body() : error.asText());
        }
        return body(r).path("commandId").asText();
    }

    private HttpResponse<String> send(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).GET(), path, true);
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request, String path, boolean refuseClientErrors) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) {
                throw new UnavailableException("the fibflow API answered " + r.statusCode() + ": " + r.body());
            }
            if (refuseClientErrors && r.statusCode() >= 400 && r.statusCode() != 404) {
                throw new FibflowException("the fibflow API refused " + path + ": " + r.body());
            }
            return r;
        } catch (IOException e) {
            throw new UnavailableException("the fibflow API at " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking the fibflow API");
        }
    }

    private JsonNode body(HttpResponse<String> r) {
        try {
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw new FibflowException("the fibflow API answered malformed JSON: " + r.body(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The API is unreachable or not ready; retry later. */
    static final class UnavailableException extends FibflowException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }
}
