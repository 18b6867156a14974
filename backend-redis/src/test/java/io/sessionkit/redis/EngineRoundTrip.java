package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A session stored through one engine and read back through another built from the same
 * configuration, so that the value must have gone through the store.
 */
final class EngineRoundTrip {

    private EngineRoundTrip() {
    }

    /**
     * @param config the configuration of both engines
     * @param user   the value stored under {@code user}
     * @return the session's id, whose store key is {@code session:<id>}
     */
    static String storeAndReadBack(SessionConfig config, String user) {
        String id;
        try (SessionInterface writer = SessionInterface.create(config)) {
            Session session = writer.open(null);
            session.put("user", user);
            id = cookieValue(writer.save(session));
        }
        try (SessionInterface reader = SessionInterface.create(config)) {
            assertEquals(user, reader.open(id).get("user"), "the session read back through a second engine");
        }
        return id;
    }

    private static String cookieValue(SaveResult result) {
        String header = result.setCookieHeader();
        assertNotNull(header, "a new stored session sets its cookie");
        int semicolon = header.indexOf(';');
        return header.substring(header.indexOf('=') + 1, semicolon < 0 ? header.length() : semicolon);
    }
}
