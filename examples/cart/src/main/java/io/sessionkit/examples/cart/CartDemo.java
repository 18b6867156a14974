package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;

import java.nio.file.Path;

/**
 * Runs the cart demo: {@code PORT} (default 8080; 0 for any free port) and {@code HOST} (default
 * 127.0.0.1) from the environment, the session configuration from environment variables and
 * system properties, {@code SESSION_TYPE} choosing the store (default {@code filesystem}, kept in
 * the temporary directory so that carts survive restarts).
 */
public final class CartDemo {

    private CartDemo() {
    }

    /**
     * @param args ignored; everything comes from the environment and {@code -D} properties
     * @throws Exception when the server cannot start; the message says which setting is wrong
     */
    /**
     * On the filesystem backend, keeps the demo's sessions in a directory of its own unless
     * {@code SESSION_FILE_DIR} says otherwise; other backends get no key they would not read.
     */
    private static SessionConfig withDemoDirectory(SessionConfig config) {
        if (!config.type().equals("filesystem") || config.get("SESSION_FILE_DIR").isPresent()) {
            return config;
        }
        return config.toBuilder()
                .set("SESSION_FILE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "sessionkit-cart-demo").toString())
                .build();
    }

    public static void main(String[] args) throws Exception {
        CartServer server;
        SessionConfig config;
        try {
            String host = setting("HOST", "127.0.0.1");
            int port = port(setting("PORT", "8080"));
            config = withDemoDirectory(SessionConfig.builder().fromEnvironment().fromSystemProperties().build());
            server = CartServer.start(config, host, port);
        } catch (Exception e) {
            // The configuration errors say what to change; a stack trace would only bury that.
            System.err.println("SessionKit cart demo could not start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        System.out.println("SessionKit cart demo on " + server.uri() + " (SESSION_TYPE=" + config.type() + ")");
        if (config.type().equals("filesystem")) {
            System.out.println("Sessions are files in " + config.get("SESSION_FILE_DIR").orElse("?"));
        }
        System.out.println("Press Ctrl+C to stop.");
        server.join();
    }

    private static String rootMessage(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
    }

    private static String setting(String name, String defaultValue) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("PORT was '" + text + "' but it must be a port number from 0 to 65535"
                + " (0 picks any free port)");
    }
}
