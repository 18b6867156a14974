package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's set-up from code, its size limit at the exact boundary, stored sessions that
 * hold no data, and what it logs.
 */
class SessionInterfaceEdgeCasesTest {

    private final CountingMemoryBackend backend = new CountingMemoryBackend();

    private static final java.time.Instant NOW = java.time.Instant.parse("2030-01-02T03:04:05Z");

    private SessionInterface engine(Map<String, ?> settings) {
        return SessionInterface.create(SessionConfig.builder().fromMap(settings)
                .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)).build(), backend);
    }

    @Nested
    @DisplayName("set-up")
    class SetUp {

        @Test
        void aSerializerGivenInCodeIsUsedWhateverTheFormatKeySays() {
            SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build())
                    .backend(backend).serializer(new Base64JsonSerializer()).build();
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            byte[] stored = backend.entries.get("session:" + session.id());
            String decoded = new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
            assertTrue(decoded.startsWith("{\"version\":1,") && decoded.endsWith(",\"permanent\":true,\"data\":{\"user\":\"ada\"}}"),
                    decoded);
            assertEquals("ada", sessions.open(session.id()).get("user"));
        }

        @Test
        void aSignerGivenInCodeSignsWithoutUseSigner() {
            HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("code-key"), "salt", "sha256");
            SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build())
                    .backend(backend).signer(signer).build();
            Session session = sessions.open(null);
            session.put("user", "ada");
            String header = sessions.save(session).setCookieHeader();
            String cookie = header.substring("session=".length(), header.indexOf(';'));
            assertEquals(signer.sign(session.id()), cookie);
            assertEquals("ada", sessions.open(cookie).get("user"));
            assertTrue(sessions.open(session.id()).isNew(), "the unsigned id is refused");
        }

        @Test
        void aTypedReadOfAnAbsentAttributeNeverAsksTheSerializer() {
            // The SPI promises serializers a non-null value to convert.
            JsonSessionSerializer json = new JsonSessionSerializer();
            SessionSerializer strict = new SessionSerializer() {
                @Override
                public String format() {
                    return "strict-json";
                }

                @Override
                public byte[] serialize(SessionRecord record) {
                    return json.serialize(record);
                }

                @Override
                public SessionRecord deserialize(byte[] data) {
                    return json.deserialize(data);
                }

                @Override
                public <T> T convert(Object value, Type type) {
                    assertNotNull(value, "convert was asked to convert null");
                    return json.convert(value, type);
                }
            };
            SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build())
                    .backend(backend).serializer(strict).build();
            Session session = sessions.open(null);
            session.put("count", 7);
            assertNull(session.get("absent", Integer.class));
            assertEquals(7L, session.get("count", Long.class));
        }

        @Test
        void theTypeKeySelectsARegisteredStore() {
            try (SessionInterface sessions = SessionInterface.create(SessionConfig.builder().set("SESSION_TYPE", "memory").build())) {
                Session session = sessions.open(null);
                session.put("user", "ada");
                String header = sessions.save(session).setCookieHeader();
                assertTrue(header.startsWith("session=" + session.id() + ";"), header);
                assertEquals("ada", sessions.open(session.id()).get("user"));
                assertEquals("memory", sessions.config().type());
            }
        }

        @Test
        void closingTheEngineClosesTheStore() {
            engine(Map.of()).close();
            assertEquals(List.of("close"), backend.calls);
        }

        @Test
        void aSessionOpenedByAnotherEngineIsRefused() {
            Session foreign = engine(Map.of()).open(null);
            foreign.put("k", "v");
            SessionInterface sessions = engine(Map.of());
            assertThrows(IllegalArgumentException.class, () -> sessions.save(foreign));
            assertEquals(List.of(), backend.callsStartingWith("save"));
        }
    }

    @Nested
    @DisplayName("SESSION_MAX_SIZE")
    class MaxSize {

        private final Map<String, Object> attributes = Map.of("k", "x".repeat(100));
        /** The size of the record a first save writes: version 1, created now. */
        private final int size = new JsonSessionSerializer().serialize(new SessionRecord(attributes, true, 1, NOW, null, null)).length;

        private Session sessionWithAttributes(SessionInterface sessions) {
            Session session = sessions.open(null);
            session.putAll(attributes);
            return session;
        }

        @Test
        void aSessionOfExactlyTheLimitIsSaved() {
            SessionInterface sessions = engine(Map.of("SESSION_MAX_SIZE", size));
            Session session = sessionWithAttributes(sessions);
            sessions.save(session);
            assertEquals(size, backend.entries.get("session:" + session.id()).length);
        }

        @Test
        void aSessionOneByteOverTheLimitIsRefused() {
            SessionInterface sessions = engine(Map.of("SESSION_MAX_SIZE", size - 1));
            Session session = sessionWithAttributes(sessions);
            SessionTooLargeException error = assertThrows(SessionTooLargeException.class, () -> sessions.save(session));
            assertEquals(size, error.size());
            assertEquals(size - 1, error.limit());
            assertTrue(backend.entries.isEmpty());
        }

        @Test
        void zeroMeansNoLimit() {
            SessionInterface sessions = engine(Map.of("SESSION_MAX_SIZE", 0));
            Session session = sessions.open(null);
            session.put("big", "x".repeat(2 * 1024 * 1024));
            sessions.save(session);
            assertTrue(backend.entries.containsKey("session:" + session.id()));
        }
    }

    @Nested
    @DisplayName("a stored session without data")
    class EmptyStoredSession {

        private final String id = "E".repeat(43);

        @BeforeEach
        void storeAnEmptySession() {
            backend.entries.put("session:" + id, "{\"permanent\":true,\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void isAdoptedAndAReadOnlyRequestCostsOneRoundTrip() {
            SessionInterface sessions = engine(Map.of());
            Session session = sessions.open(id);
            assertTrue(session.isEmpty());
            assertFalse(session.isNew());
            assertEquals(id, session.id());
            assertEquals(new SaveResult(true, null, null), sessions.save(session));
            assertEquals(List.of("load session:" + id), backend.calls);
            assertTrue(backend.entries.containsKey("session:" + id));
        }

        @Test
        void isDeletedWhenTheRequestEndsIt() {
            SessionInterface sessions = engine(Map.of());
            Session session = sessions.open(id);
            session.put("k", "v");
            session.remove("k");
            SaveResult result = sessions.save(session);
            assertTrue(result.setCookieHeader().startsWith("session=; Expires=Thu, 01 Jan 1970"), result.setCookieHeader());
            assertEquals(List.of("load session:" + id, "delete session:" + id), backend.calls);
        }
    }

    @Nested
    @DisplayName("logging")
    class Logging {

        private LogCapture capture;

        @BeforeEach
        void capture() {
            capture = LogCapture.of(SessionInterface.class);
        }

        @AfterEach
        void release() {
            capture.close();
        }

        @Test
        void undecodableDataIsLoggedOnceWithOnlyTheStartOfTheId() {
            String id = "C".repeat(40) + "xyz";
            backend.entries.put("session:" + id, "not json".getBytes(StandardCharsets.UTF_8));
            Session session = engine(Map.of()).open(id);
            assertTrue(session.isNew());
            List<LogRecord> logged = capture.records();
            assertEquals(1, logged.size(), "one warning");
            LogRecord record = logged.get(0);
            assertEquals(Level.WARNING, record.getLevel());
            assertTrue(record.getMessage().contains("session:CCCCCC..."), record.getMessage());
            assertTrue(record.getMessage().contains("json"), "names the format: " + record.getMessage());
            assertFalse(record.getMessage().contains(id), "the whole id is a credential and is never logged");
        }

        @Test
        void aSessionMissingFromTheStoreIsNotWorthAWarning() {
            Session session = engine(Map.of()).open("M".repeat(43));
            assertTrue(session.isNew());
            assertEquals(List.of(), capture.records());
        }
    }
}
