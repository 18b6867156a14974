package io.sessionkit.examples.localstores;

import io.sessionkit.testsupport.LocalDynamoDb;
import io.sessionkit.testsupport.LocalMongoServer;
import io.sessionkit.testsupport.LocalStore;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** The stores this module can run locally, by their {@code SESSION_TYPE} name. */
public enum LocalStoreType {

    /** {@link LocalMongoServer}. */
    MONGODB("mongodb", LocalMongoServer.DEFAULT_PORT, LocalMongoServer::start),
    /** {@link LocalDynamoDb}. */
    DYNAMODB("dynamodb", LocalDynamoDb.DEFAULT_PORT, LocalDynamoDb::start);

    private final String sessionType;
    private final int defaultPort;
    private final IntFunction<LocalStore> starter;

    LocalStoreType(String sessionType, int defaultPort, IntFunction<LocalStore> starter) {
        this.sessionType = sessionType;
        this.defaultPort = defaultPort;
        this.starter = starter;
    }

    /**
     * @param name a {@code SESSION_TYPE} name, any case
     * @return the matching type
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static LocalStoreType named(String name) {
        for (LocalStoreType type : values()) {
            if (type.sessionType.equals(name.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("the store was '" + name + "' but it must be one of " + names());
    }

    /**
     * @return the allowed names, such as {@code mongodb|dynamodb}
     */
    public static String names() {
        return Arrays.stream(values()).map(LocalStoreType::sessionType).collect(Collectors.joining("|"));
    }

    /**
     * @return the {@code SESSION_TYPE} name
     */
    public String sessionType() {
        return sessionType;
    }

    /**
     * @return the port the real server listens on by default, which the demo's defaults expect
     */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * @param port the port on 127.0.0.1, or 0 for any free one
     * @return the running server
     */
    public LocalStore start(int port) {
        return starter.apply(port);
    }
}
