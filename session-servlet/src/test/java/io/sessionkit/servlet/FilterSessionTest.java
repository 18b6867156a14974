package io.sessionkit.servlet;

import io.sessionkit.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Session} that {@link SessionKitFilter#session} hands the application answers every
 * method as the engine's session does, and what it changes is saved. Each case runs in one
 * request on a stored session holding {@code user=ada} and {@code visits=3}.
 */
class FilterSessionTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    /** What the {@code /use} route does with the request's session; its answer is the body. */
    private volatile Function<Session, Object> use;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(new SessionKitFilter(store.engine))
                .route("/store-ada", (request, response) -> {
                    Session session = SessionKitFilter.session(request);
                    session.put("user", "ada");
                    session.put("visits", 3);
                })
                .route("/use", (request, response) -> response.getWriter()
                        .print(String.valueOf(use.apply(SessionKitFilter.session(request)))));
        browser = new TestBrowser(server);
        browser.get("/store-ada");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    /** The stored session, read outside any request. */
    private Session stored() {
        return store.engine.open(browser.cookieValue());
    }

    private String use(Function<Session, Object> use) throws Exception {
        this.use = use;
        HttpResponse<String> response = browser.get("/use");
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    static Stream<Arguments> reads() {
        return Stream.of(
                read("isNew", Session::isNew, "false"),
                read("isPermanent", Session::isPermanent, "true"),
                read("get", session -> session.get("user"), "ada"),
                read("get with a class", session -> session.get("user", String.class), "ada"),
                read("get with a type", session -> session.get("user", (Type) String.class), "ada"),
                read("size", Session::size, "2"),
                read("isEmpty", Session::isEmpty, "false"),
                read("containsKey", session -> session.containsKey("user") + " " + session.containsKey("absent"), "true false"),
                read("containsValue", session -> session.containsValue("ada") + " " + session.containsValue("grace"), "true false"),
                read("keySet", session -> List.copyOf(session.keySet()), "[user, visits]"),
                read("values", session -> List.copyOf(session.values()), "[ada, 3]"),
                read("entrySet", session -> List.copyOf(session.entrySet()), "[user=ada, visits=3]"),
                read("equals", session -> session.equals(Map.of("user", "ada", "visits", 3)) + " " + session.equals(Map.of()),
                        "true false"),
                read("hashCode", session -> session.hashCode() == Map.of("user", "ada", "visits", 3).hashCode(), "true"),
                read("toString", session -> {
                    String before = session.toString();
                    session.size();
                    return before + " " + session;
                }, "Session[not loaded] Session[user, visits]"),
                read("isAccessed", session -> session.isAccessed() + " " + session.get("user") + " " + session.isAccessed(),
                        "false ada true"),
                read("changedKeys and removedKeys before use", session -> session.changedKeys() + " " + session.removedKeys(),
                        "[] []"));
    }

    private static Arguments read(String name, Function<Session, Object> read, String answer) {
        return Arguments.of(name, read, answer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void readsAnswerAsTheEngineSession(String name, Function<Session, Object> read, String answer) throws Exception {
        assertEquals(answer, use(read));
        assertEquals(Map.of("user", "ada", "visits", 3), Map.copyOf(stored()), "nothing changed");
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("put", session -> session.put("user", "grace"), "ada", Map.of("user", "grace", "visits", 3)),
                change("remove", session -> session.remove("visits") + " " + session.removedKeys(), "3 [visits]",
                        Map.of("user", "ada")),
                change("putAll", session -> {
                    session.putAll(Map.of("theme", "dark"));
                    return session.changedKeys();
                }, "[theme]", Map.of("user", "ada", "visits", 3, "theme", "dark")),
                change("replaceAll", session -> {
                    session.replaceAll((key, value) -> value + "!");
                    return session.changedKeys();
                }, "[user, visits]", Map.of("user", "ada!", "visits", "3!")),
                change("markModified of a key", session -> {
                    session.markModified("user");
                    return session.changedKeys() + " " + session.isModified();
                }, "[user] true", Map.of("user", "ada", "visits", 3)),
                change("markModified", session -> {
                    session.markModified();
                    return session.changedKeys();
                }, "[user, visits]", Map.of("user", "ada", "visits", 3)));
    }

    private static Arguments change(String name, Function<Session, Object> change, String answer, Map<String, Object> after) {
        return Arguments.of(name, change, answer, after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changesAreSaved(String name, Function<Session, Object> change, String answer, Map<String, Object> after)
            throws Exception {
        assertEquals(answer, use(change));
        assertEquals(after, new LinkedHashMap<>(stored()));
    }

    @Test
    void clearEndsTheStoredSession() throws Exception {
        String id = browser.cookieValue();
        assertEquals("true", use(session -> {
            session.clear();
            return session.isEmpty();
        }));
        assertTrue(store.engine.open(id).isNew(), "the emptied session was deleted");
    }

    @Test
    void setPermanentIsSaved() throws Exception {
        assertEquals("false", use(session -> {
            session.setPermanent(false);
            return session.isPermanent();
        }));
        assertFalse(stored().isPermanent());
    }
}
