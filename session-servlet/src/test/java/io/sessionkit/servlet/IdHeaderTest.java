package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The session id in an {@code X-Auth-Token} header over real HTTP, as an API client sends it:
 * no cookie is read or written, the token is signed and checked like the cookie, and a session
 * that ends answers with the header empty.
 */
class IdHeaderTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    private static final String HEADER = "X-Auth-Token";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;

    private void start(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("SESSION_ID_HEADER", HEADER);
        all.put("SESSION_USE_SIGNER", "true");
        all.put("SECRET_KEY", "a signing key that is long enough!");
        store = new FileSystemStore(storeDirectory, all);
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/login", (request, response) -> {
                    request.getSession().setAttribute("user", request.getParameter("name"));
                    response.getWriter().print("from-cookie=" + request.isRequestedSessionIdFromCookie());
                })
                .route("/whoami", (request, response) -> {
                    var session = request.getSession(false);
                    response.getWriter().print(session == null ? "nobody" : session.getAttribute("user"));
                })
                .route("/logout", (request, response) -> request.getSession().invalidate());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenClientLogsInIsKnownAndLogsOut() throws Exception {
        start(Map.of());
        HttpResponse<String> login = get("/login?name=ada", Map.of());
        assertEquals(200, login.statusCode());
        String token = login.headers().firstValue(HEADER).orElseThrow();
        assertTrue(token.contains("."), "signed: " + token);
        assertEquals(List.of(), login.headers().allValues("Set-Cookie"));
        assertEquals(Optional.of("private"), login.headers().firstValue("Cache-Control"));
        assertEquals(List.of(HEADER), login.headers().allValues("Vary"));

        HttpResponse<String> known = get("/whoami", Map.of(HEADER, token));
        assertEquals("ada", known.body());
        assertEquals(List.of(HEADER), known.headers().allValues("Vary"));

        HttpResponse<String> logout = get("/logout", Map.of(HEADER, token));
        assertEquals(Optional.of(""), logout.headers().firstValue(HEADER), "an ended session answers with the header empty");
        assertEquals(Optional.of("private"), logout.headers().firstValue("Cache-Control"));
        assertEquals("from-cookie=false", get("/login?name=ada", Map.of()).body(), "no id sent at all");
        assertEquals("nobody", get("/whoami", Map.of(HEADER, token)).body());
    }

    @Test
    void theCookieIsIgnoredAndForgedTokensGetNothing() throws Exception {
        start(Map.of());
        String token = get("/login?name=ada", Map.of()).headers().firstValue(HEADER).orElseThrow();
        String id = token.substring(0, token.indexOf('.'));
        assertEquals("nobody", get("/whoami", Map.of("Cookie", "session=" + token)).body(), "the cookie carries nothing");
        assertEquals("nobody", get("/whoami", Map.of(HEADER, id)).body(), "an unsigned id");
        assertEquals("nobody", get("/whoami", Map.of(HEADER, id + ".forged")).body());
        assertEquals(1, store.files().size(), "nothing stored for the rejected tokens");
    }

    @Test
    void duringAMigrationBothAreAcceptedAndBothAreSent() throws Exception {
        start(Map.of("SESSION_ID_HEADER_AND_COOKIE", "true"));
        HttpResponse<String> login = get("/login?name=ada", Map.of());
        String token = login.headers().firstValue(HEADER).orElseThrow();
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("session=" + token + ";"), cookie);
        assertEquals(List.of("Cookie", HEADER), login.headers().allValues("Vary"));

        assertEquals("ada", get("/whoami", Map.of("Cookie", "session=" + token)).body(), "a cookie client");
        assertEquals("ada", get("/whoami", Map.of(HEADER, token)).body(), "a token client");
        assertEquals("from-cookie=true", get("/login?name=ada", Map.of("Cookie", "session=" + token)).body());
        assertEquals("from-cookie=false", get("/login?name=ada", Map.of()).body(), "nothing sent");
        assertEquals("from-cookie=false", get("/login?name=ada", Map.of(HEADER, token, "Cookie", "session=" + token)).body());
    }
}
