package io.sessionkit.testsupport;

import java.util.Map;

/**
 * A store server running inside this JVM on 127.0.0.1, for tests and for trying the demos
 * without installing the real server. Everything it holds is in memory and gone once it is
 * closed.
 */
public interface LocalStore extends AutoCloseable {

    /**
     * @return the {@code SESSION_TYPE} that uses this server, such as {@code mongodb}
     */
    String sessionType();

    /**
     * @return what is running, for people, such as {@code mongo-java-server (in memory)}
     */
    String description();

    /**
     * @return the port it listens on at 127.0.0.1 (the real one when 0 was asked for)
     */
    int port();

    /**
     * @return the settings that point SessionKit at this server, as environment variables or
     *         configuration keys, in the order they are best shown, {@code SESSION_TYPE} first
     */
    Map<String, String> sessionEnvironment();

    /** Stops the server; safe to call twice. */
    @Override
    void close();
}
