package io.sessionkit.examples.cart;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One client of the demo with its own session cookie, as a browser keeps it. */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI site;
    private String cookie;

    Browser(URI site) {
        this(site, null);
    }

    private Browser(URI site, String cookie) {
        this.site = site;
        this.cookie = cookie;
    }

    /** This browser, with its cookie, visiting the demo at another address (a restart on a new port). */
    Browser at(URI otherSite) {
        return new Browser(otherSite, cookie);
    }

    /** A browser that still sends a session cookie it was once given, whatever happened since. */
    Browser withCookie(String value) {
        return new Browser(site, value);
    }

    /** The session cookie's value, or {@code null} when it has none. */
    String cookie() {
        return cookie;
    }

    /** The page's HTML. */
    String page() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(site).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        keepCookie(response);
        return response.body();
    }

    /** Submits one of the page's forms; each answers with a redirect to the page. */
    void post(String action, String field, String value) throws IOException, InterruptedException {
        HttpResponse<String> response = send(form(action, field, value));
        assertEquals(303, response.statusCode(), action + " redirects after the post: " + response.body());
        assertEquals("/", response.headers().firstValue("Location").map(URI::create).map(URI::getPath).orElse(null));
    }

    /**
     * Submits a form with one more header, as a browser adds {@code Origin} or {@code Sec-Fetch-Site}.
     *
     * @return the answer's status
     */
    int postWith(String header, String headerValue, String action, String field, String value)
            throws IOException, InterruptedException {
        return send(form(action, field, value).header(header, headerValue)).statusCode();
    }

    private HttpRequest.Builder form(String action, String field, String value) {
        return HttpRequest.newBuilder(site.resolve(action))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(field + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        keepCookie(response);
        return response;
    }

    private void keepCookie(HttpResponse<String> response) {
        response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith("session="))
                .findFirst()
                .ifPresent(header -> cookie = header.contains("Max-Age=0") ? null
                        : header.substring("session=".length(), header.indexOf(';')));
    }

    /** The first characters of this client's session id, as the page shows them. */
    String idPrefix() {
        return cookie == null ? null : cookie.substring(0, CartServlet.SHOWN_ID_CHARACTERS);
    }
}
