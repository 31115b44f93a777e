package io.fibflow.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fibflow.api.internals.registry.BoundedCache;
import io.fibflow.api.internals.registry.RegistryHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} that talks to a Confluent-compatible registry (Confluent, Apicurio's
 * {@code ccompat} API, Karapace, fibflow's embedded one) over HTTP.
 *
 * <p>Ids, schemas and (subject, schema) pairs are cached up to {@link SchemaRegistryConfig#cacheCapacity()},
 * so steady-state serialization makes no HTTP call. Transient failures (I/O errors, timeouts, 5xx,
 * 429) are retried with exponential random backoff up to {@link SchemaRegistryConfig#maxAttempts()}
 * and then reported as {@link RegistryUnavailableException}; 4xx answers are never retried.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new RestSchemaRegistryClient(
 *     SchemaRegistryConfig.builder().url("http://localhost:8081").build());
 * int id = registry.register("tasks.default-value", Task.getClassSchema());
 * }</pre>
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private final RegistryHttp http;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final BoundedCache<SubjectSchema, SchemaVersion> versionsBySubjectSchema;

    public RestSchemaRegistryClient(SchemaRegistryConfig config) {
        Objects.requireNonNull(config, "config");
        this.http = new RegistryHttp(config);
        this.schemasById = new BoundedCache<>(config.cacheCapacity());
        this.idsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
        this.versionsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response = http.send("POST", "/subjects/" + RegistryHttp.segment(subject) + "/versions",
                schemaBody(schema), subject, null);
        int id = requiredInt(response, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.put(id, schema);
        return id;
    }

    @Override
    public SchemaVersion lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        SchemaVersion cached = versionsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response = http.send("POST", "/subjects/" + RegistryHttp.segment(subject),
                schemaBody(schema), subject, null);
        SchemaVersion version = new SchemaVersion(subject, requiredInt(response, "id"),
                requiredInt(response, "version"), schema);
        remember(version);
        return version;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = http.send("GET", "/schemas/ids/" + id, null, null, id);
        Schema schema = parseSchema(response, "schema " + id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public List<String> subjects() {
        JsonNode response = http.send("GET", "/subjects", null, null, null);
        List<String> subjects = new ArrayList<>();
        response.forEach(n -> subjects.add(n.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode response = http.send("GET", "/subjects/" + RegistryHttp.segment(subject) + "/versions",
                null, subject, null);
        List<Integer> versions = new ArrayList<>();
        response.forEach(n -> versions.add(n.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public SchemaVersion getVersion(String subject, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("schema versions start at 1, got " + version);
        }
        SchemaVersion v = fetchVersion(subject, Integer.toString(version));
        remember(v);
        return v;
    }

    @Override
    public SchemaVersion getLatestVersion(String subject) {
        SchemaVersion v = fetchVersion(subject, "latest");
        remember(v);
        return v;
    }

    private SchemaVersion fetchVersion(String subject, String version) {
        JsonNode response = http.send("GET", "/subjects/" + RegistryHttp.segment(subject) + "/versions/" + version,
                null, subject, null);
        return new SchemaVersion(response.path("subject").asText(subject), requiredInt(response, "id"),
                requiredInt(response, "version"), parseSchema(response, subject + " version " + version));
    }

    private void remember(SchemaVersion v) {
        SubjectSchema key = new SubjectSchema(v.subject(), v.schema());
        versionsBySubjectSchema.put(key, v);
        idsBySubjectSchema.put(key, v.id());
        schemasById.put(v.id(), v.schema());
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        try {
            return compatibility(subject, schema, "latest");
        } catch (SubjectNotFoundException e) {
            return new CompatibilityResult(true, List.of("subject " + subject + " has no versions yet"));
        }
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema, int version) {
        return compatibility(subject, schema, Integer.toString(version));
    }

    private CompatibilityResult compatibility(String subject, Schema schema, String version) {
        JsonNode response = http.send("POST", "/compatibility/subjects/" + RegistryHttp.segment(subject)
                + "/versions/" + version + "?verbose=true", schemaBody(schema), subject, null);
        List<String> messages = new ArrayList<>();
        response.path("messages").forEach(n -> messages.add(n.asText()));
        return new CompatibilityResult(response.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return level(http.send("GET", "/config", null, null, null));
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        try {
            return level(http.send("GET", "/config/" + RegistryHttp.segment(subject) + "?defaultToGlobal=true",
                    null, subject, null));
        } catch (SchemaRegistryException e) {
            // 40408: the subject has no level of its own (registries that ignore defaultToGlobal).
            if (e instanceof SubjectNotFoundException || e.errorCode() == 40408) {
                return getCompatibility();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        http.send("PUT", "/config", compatibilityBody(level), null, null);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        http.send("PUT", "/config/" + RegistryHttp.segment(subject), compatibilityBody(level), subject, null);
    }

    /** Releases the HTTP client (on Java 21+; on 17 its threads end when it is collected). */
    @Override
    public void close() {
        http.close();
    }

    private ObjectNode schemaBody(Schema schema) {
        // Confluent's own clients omit schemaType for AVRO, its default; omitting it keeps older
        // registries happy too.
        ObjectNode body = http.mapper().createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    private ObjectNode compatibilityBody(CompatibilityLevel level) {
        ObjectNode body = http.mapper().createObjectNode();
        body.put("compatibility", Objects.requireNonNull(level, "level").name());
        return body;
    }

    private static CompatibilityLevel level(JsonNode response) {
        JsonNode level = response.has("compatibilityLevel") ? response.get("compatibilityLevel") : response.get("compatibility");
        if (level == null) {
            throw new SchemaRegistryException("registry answered without a compatibility level: " + response,
                    200, SchemaRegistryException.NONE);
        }
        return CompatibilityLevel.parse(level.asText());
    }

    private static int requiredInt(JsonNode response, String field) {
        JsonNode node = response.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new SchemaRegistryException("registry answer lacks an integer '" + field + "': " + response,
                    200, SchemaRegistryException.NONE);
        }
        return node.asInt();
    }

    private static Schema parseSchema(JsonNode response, String what) {
        String type = response.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException(what + " is a " + type + " schema; fibflow reads AVRO only",
                    200, SchemaRegistryException.NONE);
        }
        JsonNode text = response.get("schema");
        if (text == null) {
            throw new SchemaRegistryException("registry answer for " + what + " lacks 'schema': " + response,
                    200, SchemaRegistryException.NONE);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new InvalidSchemaException("registry returned an unparseable schema for " + what + ": "
                    + e.getMessage(), 200, SchemaRegistryException.NONE);
        }
    }

    private record SubjectSchema(String subject, Schema schema) {
        SubjectSchema {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }
}
