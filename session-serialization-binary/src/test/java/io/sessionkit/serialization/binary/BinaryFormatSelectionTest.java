package io.sessionkit.serialization.binary;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The formats through the engine, chosen with {@code SESSION_SERIALIZATION_FORMAT} and stored
 * in the filesystem backend: the jar on the class path is all it takes.
 */
class BinaryFormatSelectionTest {

    @TempDir
    Path directory;

    private SessionConfig config(String format) {
        return SessionConfig.builder().set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString())
                .set("SESSION_SERIALIZATION_FORMAT", format).build();
    }

    private static String cookieValue(SaveResult result) {
        String header = result.setCookieHeader();
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"smile, io.sessionkit.serialization.binary.SmileSessionSerializer, 3a290a",
            "CBOR, io.sessionkit.serialization.binary.CborSessionSerializer, bf6776"})
    @DisplayName("the configured format writes the stored bytes and reads them back on the next request")
    void theConfiguredFormatStoresAndReadsSessions(String format, String serializerClass, String firstBytes) {
        SessionConfig config = config(format);
        SessionBackend backend = BackendRegistry.load().provider("filesystem").create(config);
        try (SessionInterface sessions = SessionInterface.create(config, backend)) {
            assertEquals(serializerClass, sessions.serializer().getClass().getName());
            Session session = sessions.open(null);
            session.put("user", "ada");
            session.put("cart", List.of(Map.of("sku", "SKU-10001", "quantity", 2)));
            String cookie = cookieValue(sessions.save(session));

            byte[] stored = backend.load("session:" + session.id());
            assertEquals(firstBytes, java.util.HexFormat.of().formatHex(stored, 0, 3));
            assertEquals("ada", sessions.serializer().deserialize(stored).attributes().get("user"));

            Session next = sessions.open(cookie);
            assertFalse(next.isNew());
            assertEquals("ada", next.get("user"));
            assertEquals(List.of(Map.of("sku", "SKU-10001", "quantity", 2)), next.get("cart"));
        }
    }

    @Test
    @DisplayName("switching the format of a store starts its users afresh: old sessions read as absent, not as errors")
    void switchingTheFormatStartsUsersAfresh() {
        String cookie;
        try (SessionInterface json = SessionInterface.create(config("json"))) {
            Session session = json.open(null);
            session.put("user", "ada");
            cookie = cookieValue(json.save(session));
        }
        try (SessionInterface smile = SessionInterface.create(config("smile"))) {
            Session session = smile.open(cookie);
            assertNull(session.get("user"));
            assertTrue(session.isNew());
            session.put("user", "grace");
            String again = cookieValue(smile.save(session));
            assertEquals("grace", smile.open(again).get("user"));
        }
    }

    @Test
    @DisplayName("an unknown format is refused at start-up, listing json, smile and cbor with their classes")
    void anUnknownFormatListsTheInstalledOnes() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> SessionInterface.create(config("msgpack")).close());
        String message = error.getMessage();
        assertTrue(message.contains("SESSION_SERIALIZATION_FORMAT was 'msgpack' but no serializer of that format is installed."),
                message);
        for (String installed : List.of("json (io.sessionkit.core.JsonSessionSerializer)",
                "smile (io.sessionkit.serialization.binary.SmileSessionSerializer)",
                "cbor (io.sessionkit.serialization.binary.CborSessionSerializer)")) {
            assertTrue(message.contains(installed), message);
        }
    }
}
