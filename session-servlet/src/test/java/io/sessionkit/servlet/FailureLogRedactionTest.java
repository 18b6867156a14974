package io.sessionkit.servlet;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A store client's error message quotes the key, and so the session id (MongoDB's duplicate-key
 * error, MariaDB's "Duplicate entry", PostgreSQL's "Key (id)=(...)"). The filter's error line,
 * its message and the messages of the exception chain it logs, carries only the id's start.
 */
class FailureLogRedactionTest {

    @TempDir
    Path storeDirectory;

    private final FilterLog log = new FilterLog();
    private TestServer server;
    private SessionInterface engine;

    /** The filesystem store, failing on demand with a message that quotes the key as drivers do. */
    private static final class KeyQuotingBackend implements SessionBackend {
        private final SessionBackend store;
        volatile boolean failing;

        KeyQuotingBackend(SessionBackend store) {
            this.store = store;
        }

        private void failIfAsked(String key) {
            if (failing) {
                throw new IllegalStateException("E11000 duplicate key error collection: test.sessions index: _id_"
                        + " dup key: { _id: \"" + key + "\" }", new RuntimeException("Key (id)=(" + key + ") already exists."));
            }
        }

        @Override
        public byte[] load(String key) {
            failIfAsked(key);
            return store.load(key);
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            failIfAsked(key);
            store.save(key, value, timeToLive);
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            failIfAsked(key);
            store.touch(key, timeToLive);
        }

        @Override
        public void delete(String key) {
            failIfAsked(key);
            store.delete(key);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        log.close();
    }

    private TestBrowser start(Map<String, String> settings, KeyQuotingBackend[] backend) throws Exception {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.put("SESSION_TYPE", "filesystem");
        all.put("SESSION_FILE_DIR", storeDirectory.toString());
        SessionConfig config = SessionConfig.builder().fromMap(all).build();
        backend[0] = new KeyQuotingBackend(BackendRegistry.load().create(config));
        engine = SessionInterface.create(config, backend[0]);
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> {
                    request.getSession().setAttribute("k", request.getParameter("value"));
                    response.getWriter().print("stored");
                });
        return new TestBrowser(server);
    }

    private static String chain(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private void assertLoggedWithoutTheId(String cookie, String id) {
        LogRecord error = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).findFirst()
                .orElseThrow(() -> new AssertionError("no error logged: " + log.records()));
        String logged = error.getMessage() + "\n" + chain(error.getThrown());
        assertTrue(logged.contains("session:" + id.substring(0, 6) + "…"), "names the start of the key: " + logged);
        assertTrue(logged.contains("Key (id)=(session:" + id.substring(0, 6) + "…) already exists."),
                "the causes are cut too: " + logged);
        assertTrue(logged.contains("java.lang.IllegalStateException"), "the classes are still named: " + logged);
        assertFalse(logged.contains(id.substring(0, 7)), "no more of the id than its start: " + logged);
        assertFalse(logged.contains(cookie), logged);
        assertNotNull(error.getThrown().getStackTrace()[0], "the stack trace is kept");
    }

    @Test
    void aDriverMessageQuotingTheKeyIsLoggedWithOnlyTheStartOfTheId() throws Exception {
        KeyQuotingBackend[] backend = new KeyQuotingBackend[1];
        TestBrowser browser = start(Map.of(), backend);
        browser.get("/put?value=first");
        String id = browser.cookieValue();
        backend[0].failing = true;
        HttpResponse<String> response = browser.get("/put?value=second");
        assertEquals(503, response.statusCode());
        assertLoggedWithoutTheId(id, id);
    }

    @Test
    void aSignedCookieIsCutLikeTheIdItCarries() throws Exception {
        KeyQuotingBackend[] backend = new KeyQuotingBackend[1];
        TestBrowser browser = start(Map.of("SESSION_USE_SIGNER", "true", "SECRET_KEY", "a-secret-for-the-log-test"), backend);
        browser.get("/put?value=first");
        String cookie = browser.cookieValue();
        String id = cookie.substring(0, cookie.indexOf('.'));
        backend[0].failing = true;
        assertEquals(503, browser.get("/put?value=second").statusCode());
        assertLoggedWithoutTheId(cookie, id);
        assertTrue(log.records().stream().noneMatch(r -> (r.getMessage() + chain(r.getThrown())).contains("a-secret-for")));
    }
}
