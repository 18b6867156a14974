package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SessionKitFilter#doFilter} does with a request it must not serve itself: a
 * forward or include of a request it already serves, and a request that is not HTTP, go down
 * the chain untouched; a filter the container never initialised says so. Called directly, with
 * stand-ins for the container's objects.
 */
class FilterPassThroughTest {

    private final LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());

    /** Records the request and response that reached the end of the chain. */
    private static final class Chain implements FilterChain {
        final List<Object> passed = new ArrayList<>();

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) {
            passed.add(request);
            passed.add(response);
        }
    }

    /** A stand-in whose getAttribute answers from {@code attributes} and whose other methods answer nothing. */
    private static <T> T standIn(Class<T> type, Map<String, Object> attributes) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("getAttribute")) {
                return attributes.get((String) args[0]);
            }
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + " stand-in";
            }
            Class<?> returned = method.getReturnType();
            return returned == boolean.class ? false : returned == int.class ? 0 : returned == long.class ? 0L : null;
        }));
    }

    @Test
    void aForwardOfARequestTheFilterServesGoesDownTheChainUntouched() throws Exception {
        SessionKitFilter filter = new SessionKitFilter(engine());
        HttpServletRequest forwarded = standIn(HttpServletRequest.class,
                Map.of(RequestSession.ATTRIBUTE, "the request's session, set when the filter first served it"));
        HttpServletResponse response = standIn(HttpServletResponse.class, Map.of());
        Chain chain = new Chain();
        filter.doFilter(forwarded, response, chain);
        assertEquals(2, chain.passed.size(), "the chain ran once");
        assertSame(forwarded, chain.passed.get(0), "not wrapped a second time");
        assertSame(response, chain.passed.get(1));
    }

    @Test
    void aRequestThatIsNotHttpGoesDownTheChainUntouched() throws Exception {
        SessionKitFilter filter = new SessionKitFilter(engine());
        ServletRequest request = standIn(ServletRequest.class, Map.of());
        ServletResponse response = standIn(ServletResponse.class, Map.of());
        Chain chain = new Chain();
        filter.doFilter(request, response, chain);
        assertEquals(List.of(request, response), chain.passed);
    }

    @Test
    void aFilterThatWasNotInitialisedSaysSo() {
        SessionKitFilter filter = new SessionKitFilter();
        Chain chain = new Chain();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> filter.doFilter(
                standIn(HttpServletRequest.class, Map.of()), standIn(HttpServletResponse.class, Map.of()), chain));
        assertEquals("SessionKitFilter was not initialised: the container must call init() before doFilter()",
                error.getMessage());
        assertTrue(chain.passed.isEmpty(), "the application never ran without its sessions");
    }

    private SessionInterface engine() {
        return SessionInterface.create(SessionConfig.builder().build(), backend);
    }
}
