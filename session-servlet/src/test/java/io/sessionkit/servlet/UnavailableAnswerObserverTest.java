package io.sessionkit.servlet;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEngineObserver;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The filter tells the engine's observer of each request it answered with 503 itself, and of no
 * other answer: metrics count the requests that sessions made fail.
 */
class UnavailableAnswerObserverTest {

    @TempDir
    Path storeDirectory;

    private final AtomicInteger unavailable = new AtomicInteger();
    private ObservedBackend backend;
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger(SessionKitFilter.class.getName()).setUseParentHandlers(false); // the failures are expected
        SessionConfig config = SessionConfig.builder().fromMap(Map.of("SESSION_TYPE", "filesystem",
                "SESSION_FILE_DIR", storeDirectory.toString(), "SESSION_MAX_SIZE", "512")).build();
        backend = new ObservedBackend(BackendRegistry.load().create(config));
        engine = SessionInterface.builder(config).backend(backend).observer(new SessionEngineObserver() {
            @Override
            public void answeredUnavailable() {
                unavailable.incrementAndGet();
            }
        }).build();
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> {
                    request.getSession().setAttribute("k", request.getParameter("value"));
                    response.getWriter().print("stored");
                })
                .route("/commit-then-read", (request, response) -> {
                    response.getWriter().print("already sent");
                    response.flushBuffer();
                    request.getSession().getAttribute("k");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
        Logger.getLogger(SessionKitFilter.class.getName()).setUseParentHandlers(true);
    }

    @Test
    void aStoreThatIsDownIsOne503() throws Exception {
        assertEquals(200, browser.get("/put?value=v").statusCode());
        backend.down.set(true);
        assertEquals(503, browser.get("/put?value=w").statusCode());
        assertEquals(1, unavailable.get());
    }

    @Test
    void aSessionTooLargeIsA500AndNotCounted() throws Exception {
        assertEquals(500, browser.get("/put?value=" + "x".repeat(1000)).statusCode());
        assertEquals(0, unavailable.get());
    }

    @Test
    void aFailureAfterTheResponseWasCommittedAnsweredNothingAndIsNotCounted() throws Exception {
        browser.get("/put?value=v");
        backend.down.set(true);
        assertEquals(200, browser.get("/commit-then-read").statusCode());
        assertEquals(0, unavailable.get());
    }
}
