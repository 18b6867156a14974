package io.sessionkit.spring.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser reduced to what the tests look at: it keeps cookies by name (and forgets one that is
 * deleted), never follows redirects, and remembers the name of every cookie any response set.
 */
final class Browser {

    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern CSRF_TEXT = Pattern.compile("csrf=(\\S+)");

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<String> cookiesSet = new ArrayList<>();
    private int port;

    Browser(int port) {
        this.port = port;
    }

    /** Points the browser at another server on this host, as a restarted application is, cookies kept. */
    void port(int newPort) {
        this.port = newPort;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Logs in through the login page as a person would: reads the form's CSRF token, then posts the form. */
    HttpResponse<String> logIn(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> page = get("/login");
        Matcher csrf = CSRF_INPUT.matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new AssertionError("no login form with a CSRF token at /login: " + page.statusCode() + " " + page.body());
        }
        return post("/login", Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
    }

    /** The CSRF token that the application's {@code /me} page shows. */
    static String csrfOf(HttpResponse<String> mePage) {
        Matcher csrf = CSRF_TEXT.matcher(mePage.body());
        if (!csrf.find()) {
            throw new AssertionError("no csrf= on the page: " + mePage.body());
        }
        return csrf.group(1);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** @return the names of the cookies set by every response so far, in order, repeats included */
    List<String> cookiesSet() {
        return List.copyOf(cookiesSet);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals).trim();
            String value = pair.substring(equals + 1).trim();
            cookiesSet.add(name);
            boolean deleted = value.isEmpty() || setCookie.toLowerCase().contains("max-age=0");
            if (deleted) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
