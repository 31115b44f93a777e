package io.fibflow.embedded.internals.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests to handlers by method and path template ({@code /subjects/{subject}}),
 * turns their results into JSON and {@link RegistryException}s into Confluent error bodies.
 */
public final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** A route's work: the body to answer with, serialised by Jackson. */
    @FunctionalInterface
    public interface Handler {
        Object handle(RegistryRequest request);
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final List<Route> routes = new ArrayList<>();

    public Router route(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), handler));
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            Object body;
            try {
                body = dispatch(exchange);
            } catch (RegistryException e) {
                status = e.status();
                body = error(e.errorCode(), e.getMessage());
                if (status >= 500) {
                    log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                }
            } catch (RuntimeException e) {
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = error(50001, "Internal error: " + e);
            }
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object dispatch(HttpExchange exchange) throws IOException {
        String[] path = split(exchange.getRequestURI().getRawPath());
        boolean pathMatched = false;
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), path);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (route.method().equals(exchange.getRequestMethod())) {
                JsonNode body = readBody(exchange.getRequestBody());
                return route.handler().handle(
                    new RegistryRequest(params, query(exchange.getRequestURI().getRawQuery()), body));
            }
        }
        if (pathMatched) {
            throw new RegistryException(405, 405, "HTTP " + exchange.getRequestMethod() + " not allowed here");
        }
        throw new RegistryException(404, 404, "HTTP 404 Not Found");
    }

    private JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw RegistryException.badRequest("Malformed JSON body: " + e.getMessage());
        }
    }

    private ObjectNode error(int errorCode, String message) {
        return json.createObjectNode().put("error_code", errorCode).put("message", message);
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String expected = template[i];
            if (expected.startsWith("{") && expected.endsWith("}")) {
                params.put(expected.substring(1, expected.length() - 1), decode(path[i]));
            } else if (!expected.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
