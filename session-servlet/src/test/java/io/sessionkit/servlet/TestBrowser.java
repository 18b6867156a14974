package io.sessionkit.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A real HTTP client that, like a browser, keeps the session cookie between requests, but
 * explicitly so that tests can read every {@code Set-Cookie} header: redirects are not followed
 * and only the one cookie is kept.
 */
final class TestBrowser {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final TestServer server;
    private final String cookieName;
    private String cookieValue;

    TestBrowser(TestServer server) {
        this(server, "session");
    }

    TestBrowser(TestServer server, String cookieName) {
        this.server = server;
        this.cookieName = cookieName;
    }

    /** Sends a GET with the kept cookie, and keeps what the response sets. */
    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(pathAndQuery, cookieValue == null ? null : cookieName + "=" + cookieValue, true);
    }

    /** Sends a GET with exactly this {@code Cookie} header (or none), keeping nothing. */
    HttpResponse<String> getWithCookieHeader(String pathAndQuery, String cookieHeader)
            throws IOException, InterruptedException {
        return send(pathAndQuery, cookieHeader, false);
    }

    private HttpResponse<String> send(String pathAndQuery, String cookieHeader, boolean keep)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (cookieHeader != null) {
            request.header("Cookie", cookieHeader);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (keep) {
            String set = sessionSetCookie(response);
            if (set != null) {
                cookieValue = set.contains("Max-Age=0") ? null : valueOf(set);
            }
        }
        return response;
    }

    /** The value of the response's session {@code Set-Cookie} header, or null. */
    String sessionSetCookie(HttpResponse<?> response) {
        List<String> headers = response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(cookieName + "="))
                .toList();
        if (headers.size() > 1) {
            throw new AssertionError("more than one session Set-Cookie header: " + headers);
        }
        return headers.isEmpty() ? null : headers.get(0);
    }

    String valueOf(String setCookieHeader) {
        int end = setCookieHeader.indexOf(';');
        return setCookieHeader.substring(cookieName.length() + 1, end < 0 ? setCookieHeader.length() : end);
    }

    String cookieValue() {
        return cookieValue;
    }

    void cookieValue(String value) {
        cookieValue = value;
    }

    URI uri(String pathAndQuery) {
        return server.uri(pathAndQuery);
    }
}
