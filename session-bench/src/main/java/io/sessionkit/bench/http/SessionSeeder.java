package io.sessionkit.bench.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Creates the load test's visitors: asks the server for {@code /cart/seed} once per visitor and
 * keeps the session cookie each answer sets, so every mode's sessions are made by the mode
 * itself, exactly as a browser's would be.
 */
final class SessionSeeder {

    // Modes without sessions set no cookie; their visitors send this one, which nothing reads.
    private static final String NO_COOKIE = "visitor=anonymous";
    private static final int IN_FLIGHT = 8;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI seed;

    SessionSeeder(int port) {
        this.seed = URI.create("http://127.0.0.1:" + port + "/cart/seed");
    }

    /**
     * @param count how many visitors to create
     * @return each visitor's cookie as {@code name=value}
     * @throws IOException when a seeding request fails or is not answered with 200
     */
    List<String> seed(int count) throws IOException, InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<String>> cookies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            cookies.add(client.sendAsync(HttpRequest.newBuilder(seed).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> slots.release())
                    .thenApply(SessionSeeder::cookieOf));
        }
        List<String> values = new ArrayList<>(count);
        try {
            for (CompletableFuture<String> cookie : cookies) {
                values.add(cookie.get());
            }
        } catch (ExecutionException e) {
            throw new IOException("creating the visitors' sessions failed: " + e.getCause().getMessage(), e.getCause());
        }
        return values;
    }

    private static String cookieOf(HttpResponse<Void> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /cart/seed answered " + response.statusCode() + ", expected 200");
        }
        return response.headers().firstValue("Set-Cookie")
                .map(header -> header.split(";", 2)[0].trim())
                .orElse(NO_COOKIE);
    }
}
