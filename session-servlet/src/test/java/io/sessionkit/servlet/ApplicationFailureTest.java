package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * An application's own failure leaves {@link SessionKitFilter} as it was thrown, whatever its
 * kind, after the session was saved; a save that fails as well is attached to it as suppressed.
 * What the filter throws is seen by a filter in front of it, which answers 500 as a container
 * would.
 */
class ApplicationFailureTest {

    @TempDir
    Path storeDirectory;

    private final FilterLog log = new FilterLog();
    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    /** What the {@code /fail} route throws. */
    private volatile Throwable failure;
    /** Whether the {@code /fail} route takes the backend down before it throws. */
    private volatile boolean storeDownBeforeFailing;
    /** What the filter let through. */
    private volatile Throwable thrown;

    /** In front of the filter under test: keeps what it throws and answers 500. */
    private final class Catching implements Filter {
        private final SessionKitFilter filter;

        Catching(SessionKitFilter filter) {
            this.filter = filter;
        }

        @Override
        public void init(FilterConfig config) throws ServletException {
            filter.init(config);
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
            try {
                filter.doFilter(request, response, chain);
            } catch (Throwable t) {
                thrown = t;
                ((HttpServletResponse) response).setStatus(500);
            }
        }
    }

    /** An application's own kind of {@link Error}. */
    static final class ApplicationError extends Error {
        ApplicationError(String message) {
            super(message);
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(new Catching(new SessionKitFilter(store.engine)))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", request.getParameter("v")))
                .route("/get", (request, response) -> response.getWriter().print("k=" + request.getSession().getAttribute("k")))
                .route("/fail", (request, response) -> {
                    request.getSession().setAttribute("k", "changed before the failure");
                    if (storeDownBeforeFailing) {
                        store.backend.down.set(true);
                    }
                    if (failure instanceof Exception e) {
                        throw e;
                    }
                    throw (Error) failure;
                });
        browser = new TestBrowser(server);
        browser.get("/put?v=before");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
        log.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new IOException("the client went away")),
                Arguments.of(new ServletException("the page could not be built")),
                Arguments.of(new IllegalStateException("the application failed on purpose")),
                Arguments.of(new ApplicationError("the application gave up")));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void theApplicationsFailureIsThrownAsItIsAfterTheSessionWasSaved(Throwable applicationFailure) throws Exception {
        failure = applicationFailure;
        assertEquals(500, browser.get("/fail").statusCode());
        assertSame(applicationFailure, thrown);
        assertEquals(0, applicationFailure.getSuppressed().length);
        assertEquals("k=changed before the failure", browser.get("/get").body());
    }

    @Test
    void aSaveThatFailsTooIsAttachedToTheApplicationsFailure() throws Exception {
        failure = new IllegalStateException("the application failed on purpose");
        storeDownBeforeFailing = true;
        assertEquals(500, browser.get("/fail").statusCode());
        assertSame(failure, thrown);
        assertEquals(1, failure.getSuppressed().length);
        assertInstanceOf(SessionBackendException.class, failure.getSuppressed()[0]);
        store.backend.down.set(false);
        assertEquals("k=before", browser.get("/get").body());
    }

    @Test
    void aFailureWhoseCausesGoRoundInACircleIsStillThrown() throws Exception {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second", first);
        first.initCause(second);
        failure = first;
        assertEquals(500, browser.get("/fail").statusCode());
        assertSame(first, thrown);
    }
}
