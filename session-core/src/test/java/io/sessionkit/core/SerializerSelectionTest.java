package io.sessionkit.core;

import io.sessionkit.Session;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class SerializerSelectionTest {

    @Test
    void aSerializerRegisteredThroughServiceLoaderIsSelectedByItsFormat() {
        CountingMemoryBackend backend = new CountingMemoryBackend();
        SessionConfig config = SessionConfig.builder().set("SESSION_SERIALIZATION_FORMAT", "BASE64-JSON").build();
        try (SessionInterface sessions = SessionInterface.create(config, backend)) {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);

            byte[] stored = backend.entries.get("session:" + session.id());
            String decoded = new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
            assertTrue(decoded.startsWith("{\"version\":1,\"created\":") && decoded.endsWith(",\"permanent\":true,\"data\":{\"user\":\"ada\"}}"),
                    decoded);
            assertEquals("ada", sessions.open(session.id()).get("user"));
            assertEquals("base64-json", sessions.serializer().format().toLowerCase(java.util.Locale.ROOT),
                    "the engine tells which serializer it uses");
            assertEquals("ada", sessions.serializer().deserialize(stored).attributes().get("user"));
        }
    }

    @Test
    void jsonStaysTheDefaultBesideAThirdPartyFormat() {
        CountingMemoryBackend backend = new CountingMemoryBackend();
        try (SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend)) {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            assertEquals('{', (char) backend.entries.get("session:" + session.id())[0]);
        }
    }
}
