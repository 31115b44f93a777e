package io.fibflow.api.internals.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.fibflow.api.registry.IncompatibleSchemaException;
import io.fibflow.api.registry.InvalidSchemaException;
import io.fibflow.api.registry.RegistryUnavailableException;
import io.fibflow.api.registry.SchemaNotFoundException;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.registry.SchemaRegistryException;
import io.fibflow.api.registry.SubjectNotFoundException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one JSON request to the registry: retries transient failures (I/O errors, timeouts, 5xx,
 * 429) with exponential random backoff, rotating through the configured URLs, and maps error
 * responses to the typed exceptions.
 */
public final class RegistryHttp {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient client;
    private final List<URI> baseUrls;
    private final String authorization;
    private final SchemaRegistryConfig config;
    private final Retry retry;
    private final AtomicInteger nextUrl = new AtomicInteger();

    public RegistryHttp(SchemaRegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        config.sslContext().ifPresent(builder::sslContext);
        this.client = builder.build();
        this.baseUrls = config.urls();
        this.authorization = config.basicAuthUserInfo()
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
        this.retry = Retry.of("schema-registry", RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        config.initialBackoff(), 2.0, 0.5, config.maxBackoff()))
                .retryOnException(e -> e instanceof TransientFailure)
                .build());
    }

    /** Releases the HTTP client's threads and connections where the JDK supports it (Java 21+). */
    public void close() {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing is best effort; nothing useful can be done with a failure here.
            }
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Encodes one path segment (a subject name) so that it survives in a URL path. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends a request and returns the parsed JSON body.
     *
     * @param method  HTTP method
     * @param path    path (with query) appended to the base URL, starting with '/'
     * @param body    JSON body, or null
     * @param subject the subject the request is about, for error messages; may be null
     * @param id      the schema id the request is about, for error messages; may be null
     */
    public JsonNode send(String method, String path, JsonNode body, String subject, Integer id) {
        AtomicInteger attempts = new AtomicInteger();
        byte[] bytes = body == null ? null : toBytes(body);
        try {
            return retry.executeSupplier(() -> {
                attempts.incrementAndGet();
                return attempt(method, path, bytes, subject, id);
            });
        } catch (TransientFailure e) {
            throw new RegistryUnavailableException("Schema Registry unavailable after " + attempts.get()
                    + " attempt(s) of " + method + " " + path + ": " + e.getMessage(),
                    attempts.get(), e.status, e.errorCode, e.getCause());
        }
    }

    private byte[] toBytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    private JsonNode attempt(String method, String path, byte[] body, String subject, Integer id) {
        URI base = baseUrls.get(Math.floorMod(nextUrl.get(), baseUrls.size()));
        URI uri = URI.create(stripTrailingSlash(base.toString()) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // Move to the next URL so that a failing node is not retried while others may be up.
            nextUrl.incrementAndGet();
            throw new TransientFailure(uri + ": " + e, SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while calling the Schema Registry at " + uri,
                    1, SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(response.body(), uri, status);
        }
        JsonNode error = parseError(response.body());
        int errorCode = error.path("error_code").asInt(SchemaRegistryException.NONE);
        String message = error.path("message").asText(new String(response.body(), StandardCharsets.UTF_8));
        if (status >= 500 || status == 429) {
            nextUrl.incrementAndGet();
            throw new TransientFailure(uri + " answered HTTP " + status + " (error_code " + errorCode + "): " + message,
                    status, errorCode, null);
        }
        throw mapError(method, uri, status, errorCode, message, subject, id);
    }

    private static SchemaRegistryException mapError(String method, URI uri, int status, int errorCode, String message,
                                                    String subject, Integer id) {
        String text = method + " " + uri + " failed with HTTP " + status
                + (errorCode == SchemaRegistryException.NONE ? "" : " (error_code " + errorCode + ")") + ": " + message;
        if (errorCode == 40401) {
            return new SubjectNotFoundException(text, subject, status, errorCode);
        }
        if (errorCode == 40403 || errorCode == 40402) {
            return new SchemaNotFoundException(text, subject, id, status, errorCode);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(text, subject, status, errorCode);
        }
        if (errorCode == 42201 || (status == 422 && errorCode == SchemaRegistryException.NONE)) {
            return new InvalidSchemaException(text, status, errorCode);
        }
        if (status == 404 && errorCode == SchemaRegistryException.NONE) {
            return new SchemaRegistryException(text + " (is the base URL, including any path, right?)", status, errorCode);
        }
        return new SchemaRegistryException(text, status, errorCode);
    }

    private JsonNode parse(byte[] body, URI uri, int status) {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema Registry at " + uri + " answered HTTP " + status
                    + " with a body that is not JSON", status, SchemaRegistryException.NONE, e);
        }
    }

    private JsonNode parseError(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? null : mapper.readTree(body);
            return node == null ? NullNode.getInstance() : node;
        } catch (IOException e) {
            // A proxy's HTML error page: the status alone decides.
            return NullNode.getInstance();
        }
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A failure worth another attempt; never escapes {@link #send}. */
    static final class TransientFailure extends RuntimeException {
        final int status;
        final int errorCode;

        TransientFailure(String message, int status, int errorCode, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}
