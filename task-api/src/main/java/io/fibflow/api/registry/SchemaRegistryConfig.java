package io.fibflow.api.registry;

import io.fibflow.api.internals.registry.SslContexts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable settings of a {@link RestSchemaRegistryClient}: where the registry is, how to
 * authenticate, and how hard to try.
 *
 * <p>Build one with {@link #builder()}, whose setters reject a bad value at once with that value in
 * the message, or from Kafka-style serde properties with {@link #fromMap(Map)}:
 *
 * <pre>{@code
 * SchemaRegistryConfig config = SchemaRegistryConfig.builder()
 *     .url("https://registry.example.com/apis/ccompat/v7")
 *     .basicAuthUserInfo("fibflow:secret")
 *     .maxAttempts(5)
 *     .build();
 * }</pre>
 */
public final class SchemaRegistryConfig {

    /** Comma-separated registry base URLs; a URL may carry a path (Apicurio: {@code /apis/ccompat/v7}). */
    public static final String URL = "schema.registry.url";
    /** {@code USER_INFO} (use {@link #BASIC_AUTH_USER_INFO}) or {@code URL} (use the URL's user info). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} sent as HTTP basic authentication. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    /** Password of the private key in the keystore; defaults to the keystore password. */
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    /** Per-request timeout in milliseconds (also the connect timeout); default 10000. */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** Total attempts for a transiently failing request, at least 1; default 3. */
    public static final String RETRY_MAX_ATTEMPTS = "schema.registry.retry.max.attempts";
    /** First backoff between attempts in milliseconds, grown exponentially with jitter; default 100. */
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    /** Largest backoff between attempts in milliseconds; default 5000. */
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    /** Entries kept in each of the client's caches; default 1000. */
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

    private final List<URI> urls;
    private final String userInfo;
    private final SSLContext sslContext;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int cacheCapacity;

    private SchemaRegistryConfig(Builder b) {
        this.urls = List.copyOf(b.urls);
        this.userInfo = b.userInfo;
        this.sslContext = b.sslContext;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.cacheCapacity = b.cacheCapacity;
    }

    /** Returns a builder with the defaults; at least one URL must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads Kafka-style serde properties (the keys are the constants of this class).
     *
     * @throws ConfigException naming the key and value when a setting is missing or invalid
     */
    public static SchemaRegistryConfig fromMap(Map<String, ?> props) {
        Builder b = builder();
        Object url = props.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(URL, url, "a Schema Registry URL is required");
        }
        apply(URL, url, () -> {
            for (String u : url.toString().split(",")) {
                if (!u.isBlank()) {
                    b.url(u.trim());
                }
            }
        });
        String source = string(props, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO").toUpperCase(Locale.ROOT);
        switch (source) {
            case "USER_INFO" -> {
                String userInfo = string(props, BASIC_AUTH_USER_INFO, null);
                if (userInfo != null && !userInfo.isEmpty()) {
                    apply(BASIC_AUTH_USER_INFO, "[hidden]", () -> b.basicAuthUserInfo(userInfo));
                }
            }
            case "URL" -> {
                String first = url.toString().split(",")[0].trim();
                String userInfo = URI.create(first).getRawUserInfo();
                if (userInfo == null) {
                    throw new ConfigException(URL, url, "basic.auth.credentials.source=URL but the URL has no user info");
                }
                apply(URL, url, () -> b.basicAuthUserInfo(java.net.URLDecoder.decode(userInfo, java.nio.charset.StandardCharsets.UTF_8)));
            }
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source,
                    "supported sources are USER_INFO and URL");
        }
        String truststore = string(props, SSL_TRUSTSTORE_LOCATION, null);
        if (truststore != null && !truststore.isEmpty()) {
            apply(SSL_TRUSTSTORE_LOCATION, truststore, () -> b.truststore(Path.of(truststore),
                    password(props, SSL_TRUSTSTORE_PASSWORD), string(props, SSL_TRUSTSTORE_TYPE, "JKS")));
        }
        String keystore = string(props, SSL_KEYSTORE_LOCATION, null);
        if (keystore != null && !keystore.isEmpty()) {
            char[] storePassword = password(props, SSL_KEYSTORE_PASSWORD);
            char[] keyPassword = props.containsKey(SSL_KEY_PASSWORD) ? password(props, SSL_KEY_PASSWORD) : storePassword;
            apply(SSL_KEYSTORE_LOCATION, keystore, () -> b.keystore(Path.of(keystore), storePassword, keyPassword,
                    string(props, SSL_KEYSTORE_TYPE, "JKS")));
        }
        if (props.containsKey(REQUEST_TIMEOUT_MS)) {
            long ms = longValue(props, REQUEST_TIMEOUT_MS);
            apply(REQUEST_TIMEOUT_MS, ms, () -> b.requestTimeout(Duration.ofMillis(ms)));
        }
        if (props.containsKey(RETRY_MAX_ATTEMPTS)) {
            long n = longValue(props, RETRY_MAX_ATTEMPTS);
            apply(RETRY_MAX_ATTEMPTS, n, () -> b.maxAttempts(Math.toIntExact(n)));
        }
        if (props.containsKey(RETRY_BACKOFF_MS)) {
            long ms = longValue(props, RETRY_BACKOFF_MS);
            apply(RETRY_BACKOFF_MS, ms, () -> b.initialBackoff(Duration.ofMillis(ms)));
        }
        if (props.containsKey(RETRY_BACKOFF_MAX_MS)) {
            long ms = longValue(props, RETRY_BACKOFF_MAX_MS);
            apply(RETRY_BACKOFF_MAX_MS, ms, () -> b.maxBackoff(Duration.ofMillis(ms)));
        }
        if (props.containsKey(CACHE_CAPACITY)) {
            long n = longValue(props, CACHE_CAPACITY);
            apply(CACHE_CAPACITY, n, () -> b.cacheCapacity(Math.toIntExact(n)));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static void apply(String key, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    private static String string(Map<String, ?> props, String key, String defaultValue) {
        Object v = props.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof org.apache.kafka.common.config.types.Password p) {
            return p.value();
        }
        return v.toString().trim();
    }

    private static char[] password(Map<String, ?> props, String key) {
        String v = string(props, key, null);
        return v == null ? null : v.toCharArray();
    }

    private static long longValue(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "expected a whole number");
        }
    }

    /** @return the registry base URLs, tried in turn when one is unreachable */
    public List<URI> urls() {
        return urls;
    }

    /** @return the {@code user:password} for basic authentication, if any */
    public Optional<String> basicAuthUserInfo() {
        return Optional.ofNullable(userInfo);
    }

    /** @return the TLS context to use for https URLs, if one was configured */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** @return the timeout of one HTTP request, also used as the connect timeout */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return total attempts for a transiently failing request (1 means no retry) */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the backoff before the second attempt */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the largest backoff between attempts */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the capacity of each of the client's caches */
    public int cacheCapacity() {
        return cacheCapacity;
    }

    @Override
    public String toString() {
        return "SchemaRegistryConfig{urls=" + urls + ", basicAuth=" + (userInfo != null)
                + ", tls=" + (sslContext != null) + ", requestTimeout=" + requestTimeout
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", cacheCapacity=" + cacheCapacity + '}';
    }

    /** Builds a {@link SchemaRegistryConfig}; every setter validates its argument at once. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private String userInfo;
        private SSLContext sslContext;
        private Path truststore;
        private char[] truststorePassword;
        private String truststoreType;
        private Path keystore;
        private char[] keystorePassword;
        private char[] keyPassword;
        private String keystoreType;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int cacheCapacity = 1000;

        private Builder() {
        }

        /** Adds a base URL ({@code http} or {@code https}, optionally with a path). */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid Schema Registry URL '" + url + "': " + e.getMessage(), e);
            }
            return url(uri);
        }

        /**
         * Adds a base URL ({@code http} or {@code https}, optionally with a path); any user info in it
         * is dropped (set credentials with {@link #basicAuthUserInfo(String)}).
         */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("invalid Schema Registry URL '" + url + "': expected http(s)://host[:port][/path]");
            }
            // Credentials never stay in the URL, which appears in error messages; see basicAuthUserInfo.
            urls.add(url.getRawUserInfo() == null ? url : URI.create(url.getScheme() + "://" + url.getRawAuthority()
                    .substring(url.getRawAuthority().indexOf('@') + 1)
                    + (url.getRawPath() == null ? "" : url.getRawPath())));
            return this;
        }

        /** Replaces the URLs with these. */
        public Builder urls(List<String> urls) {
            this.urls.clear();
            urls.forEach(this::url);
            return this;
        }

        /** Sets basic authentication from {@code user:password}. */
        public Builder basicAuthUserInfo(String userInfo) {
            if (userInfo == null || userInfo.indexOf(':') < 1) {
                throw new IllegalArgumentException("basic auth user info must look like 'user:password', got "
                        + (userInfo == null ? "null" : "a value without a user before ':'"));
            }
            this.userInfo = userInfo;
            return this;
        }

        /** Uses this TLS context for https URLs (instead of a truststore/keystore). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Trusts the certificates in this store (type e.g. {@code JKS} or {@code PKCS12}). */
        public Builder truststore(Path location, char[] password, String type) {
            requireReadable(location, "truststore");
            this.truststore = location;
            this.truststorePassword = password == null ? null : password.clone();
            this.truststoreType = type == null ? "JKS" : type;
            return this;
        }

        /** Presents the key in this store as the client certificate (mutual TLS). */
        public Builder keystore(Path location, char[] storePassword, char[] keyPassword, String type) {
            requireReadable(location, "keystore");
            this.keystore = location;
            this.keystorePassword = storePassword == null ? null : storePassword.clone();
            this.keyPassword = keyPassword == null ? null : keyPassword.clone();
            this.keystoreType = type == null ? "JKS" : type;
            return this;
        }

        /** Sets the timeout of one HTTP request (positive). */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("request timeout must be positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Sets the total attempts for a transient failure (at least 1, at most 100). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("retry max attempts must be in [1, 100], got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Sets the backoff before the second attempt (at least 1 ms). */
        public Builder initialBackoff(Duration backoff) {
            if (backoff == null || backoff.toMillis() < 1) {
                throw new IllegalArgumentException("initial retry backoff must be at least 1 ms, got " + backoff);
            }
            this.initialBackoff = backoff;
            return this;
        }

        /** Sets the largest backoff between attempts (at least 1 ms). */
        public Builder maxBackoff(Duration backoff) {
            if (backoff == null || backoff.toMillis() < 1) {
                throw new IllegalArgumentException("max retry backoff must be at least 1 ms, got " + backoff);
            }
            this.maxBackoff = backoff;
            return this;
        }

        /** Sets the capacity of each cache (at least 1). */
        public Builder cacheCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
            }
            this.cacheCapacity = capacity;
            return this;
        }

        /**
         * Builds the config, loading any truststore or keystore into an {@link SSLContext}.
         *
         * @throws IllegalArgumentException if no URL was set, or a store cannot be loaded
         */
        public SchemaRegistryConfig build() {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one Schema Registry URL is required");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("max retry backoff " + maxBackoff
                        + " is shorter than the initial backoff " + initialBackoff);
            }
            if (sslContext == null && (truststore != null || keystore != null)) {
                sslContext = SslContexts.load(truststore, truststorePassword, truststoreType,
                        keystore, keystorePassword, keyPassword, keystoreType);
            }
            return new SchemaRegistryConfig(this);
        }

        private static void requireReadable(Path location, String what) {
            if (location == null || !Files.isReadable(location)) {
                throw new IllegalArgumentException(what + " '" + location + "' does not exist or is not readable");
            }
        }
    }
}
