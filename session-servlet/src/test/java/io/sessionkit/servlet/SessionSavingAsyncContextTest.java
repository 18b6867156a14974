package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SessionSavingAsyncContext} is the container's context but for {@code complete()}, which
 * ends the session first, and for the request and response of a {@code startAsync()} without
 * arguments. Called directly, with stand-ins for the container's objects.
 */
class SessionSavingAsyncContextTest {

    /** Every call the stand-in context received, as "name(arguments)". */
    private final List<String> calls = new ArrayList<>();
    private boolean original = true;
    private final ServletRequest containerRequest = standIn(ServletRequest.class);
    private final ServletResponse containerResponse = standIn(ServletResponse.class);
    private final AsyncContext container = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                calls.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
                return switch (method.getName()) {
                    case "hasOriginalRequestAndResponse" -> original;
                    case "getRequest" -> containerRequest;
                    case "getResponse" -> containerResponse;
                    case "getTimeout" -> 1234L;
                    case "createListener" -> null;
                    default -> null;
                };
            });
    private final ServletRequest sessionRequest = standIn(ServletRequest.class);
    private final ServletResponse sessionResponse = standIn(ServletResponse.class);
    private final SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(),
            new LockingMemoryBackend(Clock.systemUTC()));
    private final RequestSession requestSession = new RequestSession(engine, standIn(HttpServletRequest.class),
            standIn(HttpServletResponse.class));
    private final AsyncSessionEnd end = new AsyncSessionEnd(requestSession, standIn(HttpServletRequest.class),
            standIn(HttpServletResponse.class));
    private final SessionSavingAsyncContext context = new SessionSavingAsyncContext(container, end, sessionRequest,
            sessionResponse);

    private static <T> T standIn(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + " stand-in";
            }
            Class<?> returned = method.getReturnType();
            return returned == boolean.class ? false : returned == int.class ? 0 : returned == long.class ? 0L : null;
        }));
    }

    private static final class Listener implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        @Override
        public String toString() {
            return "listener";
        }
    }

    @Test
    void afterStartAsyncWithoutArgumentsTheRequestAndResponseAreTheSessions() {
        assertTrue(context.hasOriginalRequestAndResponse());
        assertSame(sessionRequest, context.getRequest());
        assertSame(sessionResponse, context.getResponse());
    }

    @Test
    void afterStartAsyncWithTheApplicationsObjectsTheContainersAnswer() {
        original = false;
        assertFalse(context.hasOriginalRequestAndResponse());
        assertSame(containerRequest, context.getRequest());
        assertSame(containerResponse, context.getResponse());
    }

    @Test
    void completeEndsTheSessionThenCompletesTheContainersContext() {
        context.complete();
        assertEquals(List.of("complete[]"), calls);
        assertFalse(requestSession.finishOnce(), "the session's end was claimed by complete()");
    }

    @Test
    void everythingElseIsTheContainersContext() throws Exception {
        Listener listener = new Listener();
        Runnable run = () -> { };
        context.dispatch();
        context.dispatch("/path");
        context.dispatch(null, "/other");
        context.start(run);
        context.addListener(listener);
        context.addListener(listener, sessionRequest, sessionResponse);
        context.createListener(Listener.class);
        context.setTimeout(99);
        assertEquals(1234L, context.getTimeout());
        assertEquals(List.of("dispatch[]", "dispatch[/path]", "dispatch[null, /other]", "start[" + run + "]",
                "addListener[listener]", "addListener[listener, ServletRequest stand-in, ServletResponse stand-in]",
                "createListener[" + Listener.class + "]", "setTimeout[99]", "getTimeout[]"), calls);
    }

    @Test
    void itWrapsOnlyItsOwnContainerContext() {
        assertTrue(context.wraps(container));
        assertFalse(context.wraps(standIn(AsyncContext.class)));
    }
}
