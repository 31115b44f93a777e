package io.fibflow.api.registry;

import static io.fibflow.api.testing.StubRegistryServer.Response.error;
import static io.fibflow.api.testing.StubRegistryServer.Response.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fibflow.api.testing.StubRegistryServer;
import io.fibflow.api.testing.StubRegistryServer.Response;
import io.fibflow.avro.Task;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RestSchemaRegistryClientTest {

    private static final Schema TASK = Task.getClassSchema();
    private static final String SUBJECT = "tasks.default-value";
    private final ObjectMapper mapper = new ObjectMapper();
    private StubRegistryServer stub;

    @BeforeEach
    void start() throws Exception {
        stub = new StubRegistryServer();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private RestSchemaRegistryClient client() {
        return client(SchemaRegistryConfig.builder().url(stub.baseUri()));
    }

    private static RestSchemaRegistryClient client(SchemaRegistryConfig.Builder builder) {
        return new RestSchemaRegistryClient(builder.initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5)).requestTimeout(Duration.ofSeconds(5)).build());
    }

    private static String schemaJson(Schema schema) {
        return JsonNodeFactory.instance.textNode(schema.toString()).toString();
    }

    @Test
    void shouldSendConfluentHeadersAndSchemaBodyWhenRegistering() throws Exception {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions", json(200, "{\"id\":21}"));

        assertEquals(21, client().register(SUBJECT, TASK));

        StubRegistryServer.Request request = stub.requests().get(0);
        assertEquals("application/vnd.schemaregistry.v1+json", request.header("Content-Type"));
        assertEquals("application/vnd.schemaregistry.v1+json, application/json", request.header("Accept"));
        JsonNode body = mapper.readTree(request.body());
        assertEquals(TASK, new Schema.Parser().parse(body.get("schema").asText()));
        assertNull(request.header("Authorization"));
    }

    @Test
    void shouldMakeOneRequestWhenRegisteringTheSameSchemaTwice() {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions", json(200, "{\"id\":21}"));
        RestSchemaRegistryClient client = client();

        client.register(SUBJECT, TASK);
        client.register(SUBJECT, new Schema.Parser().parse(TASK.toString()));

        assertEquals(TASK, client.getById(21), "register also fills the id cache");
        assertEquals(1, stub.requestCount());
    }

    @Test
    void shouldFetchSchemaByIdOnceWhenAskedRepeatedly() {
        stub.on("GET", "/schemas/ids/5", json(200, "{\"schema\":" + schemaJson(TASK) + "}"));
        RestSchemaRegistryClient client = client();

        for (int i = 0; i < 10; i++) {
            assertEquals(TASK, client.getById(5));
        }
        assertEquals(1, stub.requestCount());
    }

    @Test
    void shouldRetryWhenRegistryAnswers503ThenSucceeds() {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions",
                error(503, 50003, "leader unavailable"), error(503, 50003, "leader unavailable"), json(200, "{\"id\":3}"));

        assertEquals(3, client().register(SUBJECT, TASK));
        assertEquals(3, stub.requestCount());
    }

    @Test
    void shouldRetryWhenRegistryAnswers429ThenSucceeds() {
        stub.on("GET", "/schemas/ids/4", error(429, 429, "slow down"),
                json(200, "{\"schema\":" + schemaJson(TASK) + "}"));

        assertEquals(TASK, client().getById(4));
        assertEquals(2, stub.requestCount());
    }

    @Test
    void shouldRetryWhenConnectionClosesMidResponseThenSucceeds() {
        stub.on("GET", "/schemas/ids/4", Response.closeMidBody(), json(200, "{\"schema\":" + schemaJson(TASK) + "}"));

        assertEquals(TASK, client().getById(4));
        assertEquals(2, stub.requestCount());
    }

    @Test
    void shouldThrowRegistryUnavailableWhen5xxPersistsAfterMaxAttempts() {
        stub.on("GET", "/schemas/ids/4", error(500, 50001, "store error"));
        RestSchemaRegistryClient client = client(SchemaRegistryConfig.builder().url(stub.baseUri()).maxAttempts(4));

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(4));

        assertEquals(4, e.attempts());
        assertEquals(500, e.httpStatus());
        assertEquals(50001, e.errorCode());
        assertTrue(e.isTransient());
        assertEquals(4, stub.requestCount());
    }

    @Test
    void shouldThrowRegistryUnavailableWhenRegistryIsSlowerThanTheTimeout() {
        stub.on("GET", "/schemas/ids/4", Response.hang());
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.builder()
                .url(stub.baseUri()).maxAttempts(2).initialBackoff(Duration.ofMillis(1))
                .requestTimeout(Duration.ofMillis(200)).build());

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(4));

        assertEquals(2, e.attempts());
        assertTrue(e.getCause() instanceof java.net.http.HttpTimeoutException, String.valueOf(e.getCause()));
    }

    @Test
    void shouldThrowRegistryUnavailableAfterMaxAttemptsWhenPortIsClosed() throws Exception {
        RestSchemaRegistryClient client = client(SchemaRegistryConfig.builder()
                .url("http://127.0.0.1:" + StubRegistryServer.closedPort()).maxAttempts(3));

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> client.register(SUBJECT, TASK));

        assertEquals(3, e.attempts());
        assertEquals(SchemaRegistryException.NONE, e.httpStatus());
    }

    @Test
    void shouldFailOverToTheNextUrlWhenTheFirstIsUnreachable() throws Exception {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions", json(200, "{\"id\":8}"));
        RestSchemaRegistryClient client = client(SchemaRegistryConfig.builder()
                .url("http://127.0.0.1:" + StubRegistryServer.closedPort()).url(stub.baseUri()).maxAttempts(2));

        assertEquals(8, client.register(SUBJECT, TASK));
    }

    @Test
    void shouldNotRetryWhenRegistryAnswers409() {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions",
                error(409, 409, "Schema being registered is incompatible with an earlier schema"));

        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> client().register(SUBJECT, TASK));

        assertTrue(e.getMessage().contains("incompatible with an earlier schema"), e.getMessage());
        assertEquals(SUBJECT, e.subject());
        assertFalse(e.isTransient());
        assertEquals(1, stub.requestCount());
    }

    @Test
    void shouldNotRetryWhenRegistryAnswers42201() {
        stub.on("POST", "/subjects/" + SUBJECT + "/versions", error(422, 42201, "Invalid schema"));

        InvalidSchemaException e = assertThrows(InvalidSchemaException.class, () -> client().register(SUBJECT, TASK));

        assertEquals(42201, e.errorCode());
        assertEquals(1, stub.requestCount());
    }

    @Test
    void shouldThrowSchemaNotFoundCarryingTheIdWhenIdIsUnknown() {
        stub.on("GET", "/schemas/ids/99", error(404, 40403, "Schema 99 not found"));

        SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> client().getById(99));

        assertEquals(99, e.schemaId().getAsInt());
        assertEquals(40403, e.errorCode());
        assertEquals(1, stub.requestCount());
    }

    @Test
    void shouldThrowSchemaNotFoundWhenLookupFindsNoSuchSchema() {
        stub.on("POST", "/subjects/" + SUBJECT, error(404, 40403, "Schema not found"));

        SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> client().lookup(SUBJECT, TASK));

        assertEquals(SUBJECT, e.subject());
    }

    @Test
    void shouldThrowSubjectNotFoundWhenRegistryAnswers40401() {
        stub.on("GET", "/subjects/" + SUBJECT + "/versions", error(404, 40401, "Subject not found"));

        SubjectNotFoundException e = assertThrows(SubjectNotFoundException.class, () -> client().versions(SUBJECT));

        assertEquals(SUBJECT, e.subject());
    }

    @Test
    void shouldSendBasicAuthHeaderWhenUserInfoIsConfigured() {
        stub.on("GET", "/subjects", json(200, "[\"a\",\"b\"]"));
        RestSchemaRegistryClient client = client(SchemaRegistryConfig.builder().url(stub.baseUri())
                .basicAuthUserInfo("fibflow:s3cr:et"));

        assertEquals(List.of("a", "b"), client.subjects());

        String expected = "Basic " + Base64.getEncoder().encodeToString("fibflow:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, stub.requests().get(0).header("Authorization"));
    }

    @Test
    void shouldAppendPathsToTheBaseUrlWhenItCarriesAnApicurioPrefix() throws Exception {
        try (StubRegistryServer apicurio = new StubRegistryServer("/apis/ccompat/v7")) {
            apicurio.on("POST", "/subjects/" + SUBJECT + "/versions", json(200, "{\"id\":12}"));
            apicurio.on("GET", "/schemas/ids/13", json(200, "{\"schema\":" + schemaJson(TASK) + ",\"schemaType\":\"AVRO\"}"));
            RestSchemaRegistryClient client = client(SchemaRegistryConfig.builder().url(apicurio.baseUri() + "/"));

            assertEquals(12, client.register(SUBJECT, TASK));
            assertEquals(TASK, client.getById(13));
            assertEquals(2, apicurio.requestCount());
        }
    }

    @Test
    void shouldReadVersionsAndLookupsAndCacheThemWhenTheRegistryAnswers() {
        String version = "{\"subject\":\"" + SUBJECT + "\",\"id\":30,\"version\":2,\"schema\":" + schemaJson(TASK) + "}";
        stub.on("GET", "/subjects/" + SUBJECT + "/versions", json(200, "[1,2]"));
        stub.on("GET", "/subjects/" + SUBJECT + "/versions/2", json(200, version));
        stub.on("GET", "/subjects/" + SUBJECT + "/versions/latest", json(200, version));
        RestSchemaRegistryClient client = client();

        assertEquals(List.of(1, 2), client.versions(SUBJECT));
        assertEquals(new SchemaVersion(SUBJECT, 30, 2, TASK), client.getVersion(SUBJECT, 2));
        assertEquals(new SchemaVersion(SUBJECT, 30, 2, TASK), client.getLatestVersion(SUBJECT));
        int before = stub.requestCount();
        assertEquals(new SchemaVersion(SUBJECT, 30, 2, TASK), client.lookup(SUBJECT, TASK));
        assertEquals(30, client.register(SUBJECT, TASK));
        assertEquals(TASK, client.getById(30));
        assertEquals(before, stub.requestCount(), "lookup, register and getById are served from the cache");
    }

    @Test
    void shouldUrlEncodeSubjectNamesWhenBuildingPaths() {
        stub.on("GET", "/subjects/odd%20name%2Fx/versions", json(200, "[1]"));

        assertEquals(List.of(1), client().versions("odd name/x"));
    }

    @Test
    void shouldReturnTheRegistryMessagesWhenTestingCompatibility() throws Exception {
        stub.on("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest?verbose=true",
                json(200, "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE\"]}"));
        stub.on("POST", "/compatibility/subjects/" + SUBJECT + "/versions/3?verbose=true",
                json(200, "{\"is_compatible\":true}"));
        RestSchemaRegistryClient client = client();

        assertEquals(new CompatibilityResult(false, List.of("READER_FIELD_MISSING_DEFAULT_VALUE")),
                client.testCompatibility(SUBJECT, TASK));
        assertEquals(new CompatibilityResult(true, List.of()), client.testCompatibility(SUBJECT, TASK, 3));
        assertEquals(TASK, new Schema.Parser().parse(mapper.readTree(stub.requests().get(0).body()).get("schema").asText()));
    }

    @Test
    void shouldReportCompatibleWhenTestingAgainstASubjectThatDoesNotExist() {
        stub.on("POST", "/compatibility/subjects/new-value/versions/latest?verbose=true",
                error(404, 40401, "Subject 'new-value' not found."));

        assertTrue(client().testCompatibility("new-value", TASK).compatible());
    }

    @Test
    void shouldSendTheLevelWhenGettingAndSettingCompatibility() throws Exception {
        stub.on("GET", "/config", json(200, "{\"compatibilityLevel\":\"BACKWARD\"}"));
        stub.on("GET", "/config/" + SUBJECT + "?defaultToGlobal=true", json(200, "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"));
        stub.on("PUT", "/config", json(200, "{\"compatibility\":\"NONE\"}"));
        stub.on("PUT", "/config/" + SUBJECT, json(200, "{\"compatibility\":\"FORWARD\"}"));
        RestSchemaRegistryClient client = client();

        assertEquals(CompatibilityLevel.BACKWARD, client.getCompatibility());
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, client.getCompatibility(SUBJECT));
        client.setCompatibility(CompatibilityLevel.NONE);
        client.setCompatibility(SUBJECT, CompatibilityLevel.FORWARD);

        assertEquals("NONE", mapper.readTree(stub.requests().get(2).body()).get("compatibility").asText());
        assertEquals("FORWARD", mapper.readTree(stub.requests().get(3).body()).get("compatibility").asText());
    }

    @Test
    void shouldFallBackToTheGlobalLevelWhenTheSubjectHasNone() {
        stub.on("GET", "/config/" + SUBJECT + "?defaultToGlobal=true",
                error(404, 40408, "Subject does not have subject-level compatibility configured"));
        stub.on("GET", "/config", json(200, "{\"compatibilityLevel\":\"FORWARD\"}"));

        assertEquals(CompatibilityLevel.FORWARD, client().getCompatibility(SUBJECT));
    }

    @Test
    void shouldExplainAWrongBasePathWhenTheServerAnswersAPlain404() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client().getById(1));

        assertEquals(404, e.httpStatus());
    }
}
