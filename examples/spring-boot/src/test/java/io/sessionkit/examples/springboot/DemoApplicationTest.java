package io.sessionkit.examples.springboot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo as a person uses it: log in, see the page twice, the count in the SessionKit session. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoApplicationTest {

    @TempDir
    static Path sessions;

    @DynamicPropertySource
    static void sessionDirectory(DynamicPropertyRegistry properties) {
        properties.add("sessionkit.file.dir", sessions::toString);
    }

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String cookie = "";

    @Test
    void loginAndCount() throws Exception {
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(send(get("/login")).body());
        assertTrue(csrf.find());
        String form = "username=demo&password=demo&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertEquals(302, login.statusCode());

        assertTrue(send(get("/")).body().contains("<b id=visits>1</b>"));
        HttpResponse<String> again = send(get("/"));
        assertTrue(again.body().contains("<b id=visits>2</b>"), again.body());
        assertTrue(again.body().contains("<code>filesystem</code>"), again.body());
        assertTrue(cookie.startsWith("session="), cookie);
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return cookie.isEmpty() ? builder : builder.header("Cookie", cookie);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().allValues("Set-Cookie").stream()
                .map(value -> value.split(";", 2)[0])
                .filter(pair -> pair.startsWith("session="))
                .forEach(pair -> cookie = pair);
        return response;
    }
}
