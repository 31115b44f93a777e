package io.fibflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fibflow.embedded.RegistryClient.Response;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedSchemaRegistryIT {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistryIT.class);

    private static final String USER_V1 = """
        {"type":"record","name":"User","namespace":"io.fibflow.test","fields":[
          {"name":"id","type":"string"}]}""";
    /** Adds a field with a default: BACKWARD compatible with v1. */
    private static final String USER_V2 = """
        {"type":"record","name":"User","namespace":"io.fibflow.test","fields":[
          {"name":"id","type":"string"},{"name":"age","type":"int","default":0}]}""";
    /** Adds a field without a default: cannot read v1 data, so not BACKWARD compatible. */
    private static final String USER_BAD = """
        {"type":"record","name":"User","namespace":"io.fibflow.test","fields":[
          {"name":"id","type":"string"},{"name":"email","type":"string"}]}""";

    private static RegistryClient registry;

    @BeforeAll
    static void connect(KafkaEndpoints kafka) {
        registry = new RegistryClient(kafka.schemaRegistryUrl());
    }

    private static String subject() {
        return "subject-" + UUID.randomUUID() + "-value";
    }

    @Test
    void shouldRegisterLookUpAndListVersions() throws Exception {
        String subject = subject();
        Response first = registry.register(subject, USER_V1);
        assertEquals(200, first.status(), first.body().toString());
        assertTrue(first.contentType().startsWith("application/vnd.schemaregistry.v1+json"), first.contentType());
        int id1 = first.body().get("id").asInt();

        Response again = registry.register(subject, USER_V1.replace("\n", " ").replace("  ", " "));
        assertEquals(id1, again.body().get("id").asInt(), "same schema, same id");

        int id2 = registry.register(subject, USER_V2).body().get("id").asInt();
        assertNotEquals(id1, id2);

        Response lookup = registry.post("/subjects/" + subject, Map.of("schema", USER_V2));
        assertEquals(200, lookup.status(), lookup.body().toString());
        assertEquals(subject, lookup.body().get("subject").asText());
        assertEquals(id2, lookup.body().get("id").asInt());
        assertEquals(2, lookup.body().get("version").asInt());

        Response byId = registry.get("/schemas/ids/" + id1);
        assertEquals(200, byId.status());
        assertEquals(RegistryClient.JSON.readTree(USER_V1), RegistryClient.JSON.readTree(byId.body().get("schema").asText()));

        Response usages = registry.get("/schemas/ids/" + id2 + "/versions");
        assertEquals(subject, usages.body().get(0).get("subject").asText());
        assertEquals(2, usages.body().get(0).get("version").asInt());

        assertTrue(texts(registry.get("/subjects").body()).contains(subject));
        assertEquals("[1,2]", registry.get("/subjects/" + subject + "/versions").body().toString());

        JsonNode latest = registry.get("/subjects/" + subject + "/versions/latest").body();
        assertEquals(2, latest.get("version").asInt());
        assertEquals(id2, latest.get("id").asInt());
        assertEquals(id1, registry.get("/subjects/" + subject + "/versions/1").body().get("id").asInt());
        assertEquals(40402, registry.get("/subjects/" + subject + "/versions/7").errorCode());
        assertEquals(42202, registry.get("/subjects/" + subject + "/versions/abc").errorCode());
    }

    @Test
    void shouldGiveTheSameGlobalIdUnderAnotherSubject() throws Exception {
        String schema = USER_V1.replace("User", "Shared" + UUID.randomUUID().toString().replace("-", ""));
        int a = registry.register(subject(), schema).body().get("id").asInt();
        int b = registry.register(subject(), schema).body().get("id").asInt();
        assertEquals(a, b);
    }

    @Test
    void shouldCheckBackwardCompatibilityAndRefuseIncompatibleSchemas() throws Exception {
        String subject = subject();
        registry.register(subject, USER_V1);

        Response ok = registry.post("/compatibility/subjects/" + subject + "/versions/latest", Map.of("schema", USER_V2));
        assertEquals(200, ok.status(), ok.body().toString());
        assertTrue(ok.body().get("is_compatible").asBoolean());

        Response bad = registry.post("/compatibility/subjects/" + subject + "/versions/1", Map.of("schema", USER_BAD));
        assertFalse(bad.body().get("is_compatible").asBoolean());
        assertTrue(bad.body().get("messages").size() > 0, bad.body().toString());

        Response refused = registry.register(subject, USER_BAD);
        assertEquals(409, refused.status());
        assertEquals(409, refused.errorCode());
        assertEquals("[1]", registry.get("/subjects/" + subject + "/versions").body().toString());
    }

    @Test
    void shouldAnswerConfluentErrorCodes() throws Exception {
        Response garbage = registry.register(subject(), "{\"type\":\"record\",\"name\":");
        assertEquals(422, garbage.status());
        assertEquals(42201, garbage.errorCode());
        assertTrue(garbage.body().get("message").asText().length() > 0);

        Response unknownId = registry.get("/schemas/ids/987654321");
        assertEquals(404, unknownId.status());
        assertEquals(40403, unknownId.errorCode());

        String missing = subject();
        assertEquals(40401, registry.get("/subjects/" + missing + "/versions").errorCode());
        assertEquals(40401, registry.post("/subjects/" + missing, Map.of("schema", USER_V1)).errorCode());

        String subject = subject();
        registry.register(subject, USER_V1);
        Response notUnderSubject = registry.post("/subjects/" + subject, Map.of("schema", USER_V2));
        assertEquals(404, notUnderSubject.status());
        assertEquals(40403, notUnderSubject.errorCode());

        Response badLevel = registry.put("/config", Map.of("compatibility", "SIDEWAYS"));
        assertEquals(422, badLevel.status());
        assertEquals(42203, badLevel.errorCode());
    }

    @Test
    void shouldReadAndWriteGlobalAndSubjectConfig() throws Exception {
        assertEquals("BACKWARD", registry.get("/config").body().get("compatibilityLevel").asText());

        String subject = subject();
        assertEquals(40408, registry.get("/config/" + subject).errorCode());
        assertEquals("BACKWARD",
            registry.get("/config/" + subject + "?defaultToGlobal=true").body().get("compatibilityLevel").asText());
        Response put = registry.put("/config/" + subject, Map.of("compatibility", "NONE"));
        assertEquals("NONE", put.body().get("compatibility").asText());
        assertEquals("NONE", registry.get("/config/" + subject).body().get("compatibilityLevel").asText());

        registry.register(subject, USER_V1);
        assertEquals(200, registry.register(subject, USER_BAD).status(), "NONE lets anything through");

        Response global = registry.put("/config", Map.of("compatibility", "FULL"));
        try {
            assertEquals("FULL", global.body().get("compatibility").asText());
            assertEquals("FULL", registry.get("/config").body().get("compatibilityLevel").asText());
            assertEquals("NONE", registry.get("/config/" + subject).body().get("compatibilityLevel").asText());
        } finally {
            registry.put("/config", Map.of("compatibility", "BACKWARD"));
        }
    }

    @Test
    void shouldSoftDeleteSubjects() throws Exception {
        String subject = subject();
        registry.register(subject, USER_V1);
        Response deleted = registry.delete("/subjects/" + subject);
        assertEquals("[1]", deleted.body().toString());
        assertEquals(40401, registry.get("/subjects/" + subject + "/versions").errorCode());
        assertFalse(texts(registry.get("/subjects").body()).contains(subject));
    }

    @Test
    void shouldKeepItsStateAcrossARestart(KafkaEndpoints kafka) throws Exception {
        // A private topic, so that two registries never write the shared one side by side.
        String topic = "_schemas-restart-" + UUID.randomUUID();
        String subject = subject();
        int id;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.builder()
            .bootstrapServers(kafka.bootstrapServers()).topic(topic).build().start()) {
            RegistryClient client = new RegistryClient(first.url());
            id = client.register(subject, USER_V1).body().get("id").asInt();
            client.register(subject, USER_V2);
            client.put("/config/" + subject, Map.of("compatibility", "FORWARD"));
            client.put("/config", Map.of("compatibility", "FULL_TRANSITIVE"));
        }
        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.builder()
            .bootstrapServers(kafka.bootstrapServers()).topic(topic).build().start()) {
            log.info("Restarted registry replayed its topic in {} ms", second.startupTime().toMillis());
            RegistryClient client = new RegistryClient(second.url());
            assertEquals(id, client.post("/subjects/" + subject, Map.of("schema", USER_V1)).body().get("id").asInt());
            assertEquals("[1,2]", client.get("/subjects/" + subject + "/versions").body().toString());
            assertEquals("FORWARD", client.get("/config/" + subject).body().get("compatibilityLevel").asText());
            assertEquals("FULL_TRANSITIVE", client.get("/config").body().get("compatibilityLevel").asText());
            assertEquals(200, client.get("/schemas/ids/" + id).status());
            int next = client.register(subject(), USER_V1.replace("User", "AfterRestart")).body().get("id").asInt();
            assertTrue(next > id + 1, "ids keep increasing after a restart: " + next + " vs " + id);
        }
        // Compacted, so that the log keeps every schema however old (a deleted one would break replays).
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            var config = admin.describeConfigs(List.of(resource)).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
