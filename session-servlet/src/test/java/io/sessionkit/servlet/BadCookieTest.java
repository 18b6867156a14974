package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile or broken session cookies sent over real HTTP: each gives a fresh session and a 200,
 * and nothing in the store is named after the input. The store is the filesystem one, with
 * signing on, so the directory's listing shows every file a request made.
 */
class BadCookieTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    @TempDir
    Path workDirectory;

    private Path storeDirectory;
    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    private String realCookie;
    /** Store files of the sessions made in this test: only these may exist. */
    private final Set<String> expectedFiles = new java.util.HashSet<>();

    @BeforeEach
    void start() throws Exception {
        storeDirectory = Files.createDirectory(workDirectory.resolve("store"));
        store = new FileSystemStore(storeDirectory, Map.of(
                "SESSION_USE_SIGNER", "true",
                "SECRET_KEY", "a test secret that is long enough"));
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/visit", (request, response) -> {
                    Object visits = request.getSession().getAttribute("visits");
                    int count = visits == null ? 1 : ((Number) visits).intValue() + 1;
                    request.getSession().setAttribute("visits", count);
                    response.getWriter().print("visits=" + count);
                });
        browser = new TestBrowser(server);
        // One real session, so that the store is not empty and the listing has something to keep.
        browser.get("/visit");
        realCookie = browser.cookieValue();
        expectedFiles.add(store.fileNameOf(unsignedId(realCookie)));
        assertEquals(expectedFiles, store.files());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private static String unsignedId(String signedCookie) {
        return signedCookie.substring(0, signedCookie.indexOf('.'));
    }

    /** Sends the cookie, expects a fresh session, and checks the store holds only real sessions. */
    private void assertFreshSession(String cookieValue) throws Exception {
        HttpResponse<String> response = browser.getWithCookieHeader("/visit", "session=" + cookieValue);
        assertFresh(response.statusCode(), response.body(), browser.sessionSetCookie(response));
    }

    private void assertFresh(int status, String body, String setCookie) throws Exception {
        assertEquals(200, status, body);
        assertEquals("visits=1", body, "a fresh session");
        assertNotNull(setCookie, "the fresh session gets its own cookie");
        String newCookie = browser.valueOf(setCookie);
        assertNotEquals(realCookie, newCookie);
        expectedFiles.add(store.fileNameOf(unsignedId(newCookie)));
        assertEquals(expectedFiles, store.files(), "only files of real sessions");
        try (Stream<Path> everything = Files.walk(workDirectory)) {
            // the work directory, the store directory, the store's lock file and the session files
            assertEquals(3 + expectedFiles.size(), everything.count(), "nothing created outside the store directory");
        }
    }

    @Test
    void tamperedSignature() throws Exception {
        char last = realCookie.charAt(realCookie.length() - 1);
        assertFreshSession(realCookie.substring(0, realCookie.length() - 1) + (last == 'A' ? 'B' : 'A'));
    }

    @Test
    void tamperedIdWithTheOriginalSignature() throws Exception {
        char first = realCookie.charAt(0);
        assertFreshSession((first == 'A' ? 'B' : 'A') + realCookie.substring(1));
    }

    @Test
    void unsignedIdWhenSigningIsOn() throws Exception {
        assertFreshSession(unsignedId(realCookie));
    }

    @Test
    void truncatedCookie() throws Exception {
        assertFreshSession(realCookie.substring(0, realCookie.length() / 2));
    }

    @Test
    void oversizedCookie() throws Exception {
        assertFreshSession("x".repeat(10 * 1024));
    }

    @Test
    void pathLikeCookie() throws Exception {
        assertFreshSession("../../etc/passwd");
        assertFreshSession("..%2F..%2Fetc%2Fpasswd");
    }

    @Test
    void nonAsciiCookie() throws Exception {
        // java.net.http refuses non-ASCII header values, as browsers percent-encode them; a raw
        // socket sends the UTF-8 bytes an attacker could.
        RawResponse response = rawGet("/visit", "session=s\u00e9ssion-\u0436-\u2603");
        if (container() == ServletContainer.Kind.UNDERTOW) {
            // Undertow's own session lookup parses the Cookie header before any filter runs and
            // answers bytes over 0x7F (UT000173) with its 500 page: SessionKit never sees the request.
            assertEquals(500, response.status, response.body);
            assertNull(response.sessionSetCookie);
            assertEquals(expectedFiles, store.files(), "the store is untouched");
            return;
        }
        assertFresh(response.status, response.body, response.sessionSetCookie);
    }

    private record RawResponse(int status, String body, String sessionSetCookie) {
    }

    private RawResponse rawGet(String path, String cookieHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: " + cookieHeader
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, headerEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String setCookie = null;
            for (String line : lines) {
                if (line.regionMatches(true, 0, "Set-Cookie: session=", 0, 20)) {
                    setCookie = line.substring("Set-Cookie: ".length());
                }
            }
            return new RawResponse(status, text.substring(headerEnd + 4), setCookie);
        }
    }
}
