package io.sessionkit.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code SESSION_MONGODB*} keys and a {@link MongoClient} handed in from code, read and
 * checked together: every bad value is reported in one {@link io.sessionkit.SessionConfigException}.
 *
 * @param handedIn         the client handed in with {@code SessionConfig.builder().client(...)}, if any;
 *                         then the connection keys ({@code SESSION_MONGODB}, {@code SESSION_MONGODB_TIMEOUT})
 *                         must be unset and {@link #connectionString} is {@code null}
 * @param connectionString {@code SESSION_MONGODB} for a client of our own
 * @param database         {@code SESSION_MONGODB_DB}, with either client
 * @param collection       {@code SESSION_MONGODB_COLLECT}, with either client
 * @param timeout          {@code SESSION_MONGODB_TIMEOUT}: server selection, connect and socket read timeout
 *                         of a client of our own
 */
record MongoSettings(Optional<MongoClient> handedIn, ConnectionString connectionString, String database,
                     String collection, Duration timeout) {

    static final String SESSION_MONGODB = "SESSION_MONGODB";
    static final String SESSION_MONGODB_DB = "SESSION_MONGODB_DB";
    static final String SESSION_MONGODB_COLLECT = "SESSION_MONGODB_COLLECT";
    static final String SESSION_MONGODB_TIMEOUT = "SESSION_MONGODB_TIMEOUT";

    static final String DEFAULT_CONNECTION_STRING = "mongodb://127.0.0.1:27017";
    static final String DEFAULT_DATABASE = "flask_session";
    static final String DEFAULT_COLLECTION = "sessions";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The driver takes timeouts as an int of milliseconds. */
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /**
     * Reads every key and reports all problems at once. A key that says how to connect, set
     * beside a handed-in client, is a problem: only one of them can be used.
     *
     * @param config the whole configuration
     * @return the checked settings
     * @throws io.sessionkit.SessionConfigException naming every bad key and value
     */
    static MongoSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        Optional<MongoClient> handedIn = reader.client(MongoClient.class, SESSION_MONGODB, SESSION_MONGODB_TIMEOUT);
        ConnectionString connectionString = null;
        Duration timeout = DEFAULT_TIMEOUT;
        if (handedIn.isEmpty()) {
            connectionString = parseConnectionString(reader, reader.string(SESSION_MONGODB, DEFAULT_CONNECTION_STRING));
            timeout = reader.duration(SESSION_MONGODB_TIMEOUT, DEFAULT_TIMEOUT, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        }
        String database = reader.string(SESSION_MONGODB_DB, DEFAULT_DATABASE);
        try {
            MongoNamespace.checkDatabaseNameValidity(database);
        } catch (IllegalArgumentException e) {
            reader.invalid(SESSION_MONGODB_DB, database,
                    "a MongoDB database name: not empty, without spaces or any of /\\.\"$");
        }
        String collection = reader.string(SESSION_MONGODB_COLLECT, DEFAULT_COLLECTION);
        if (!isValidCollectionName(collection)) {
            reader.invalid(SESSION_MONGODB_COLLECT, collection,
                    "a MongoDB collection name: not empty, without $ or NUL, not starting with 'system.'");
        }
        reader.validate();
        return new MongoSettings(handedIn, connectionString, database, collection, timeout);
    }

    private static boolean isValidCollectionName(String name) {
        // The driver's own check only rejects the empty name; the server refuses these too, but later.
        return !name.isEmpty() && name.indexOf('$') < 0 && name.indexOf('\0') < 0 && !name.startsWith("system.");
    }

    private static ConnectionString parseConnectionString(ConfigReader reader, String value) {
        try {
            return new ConnectionString(value);
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the whole string, password included: it is not repeated.
            reader.invalid(SESSION_MONGODB, value,
                    "a MongoDB connection string such as " + DEFAULT_CONNECTION_STRING
                            + " or mongodb://user:password@host1:27017,host2:27017/?replicaSet=rs0");
            return null;
        }
    }

    /**
     * Settings for a client of our own. {@link #timeout} applies to server selection, connecting
     * and socket reads, except where the connection string sets {@code serverSelectionTimeoutMS},
     * {@code connectTimeoutMS} or {@code socketTimeoutMS} itself: the more specific setting wins.
     *
     * @return the client settings
     * @throws IllegalStateException when a client was handed in
     */
    MongoClientSettings clientSettings() {
        if (connectionString == null) {
            throw new IllegalStateException("a MongoClient was handed in; there are no settings for a client of our own");
        }
        int millis = (int) timeout.toMillis();
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(connectionString);
        if (connectionString.getServerSelectionTimeout() == null) {
            settings.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS));
        }
        settings.applyToSocketSettings(socket -> {
            if (connectionString.getConnectTimeout() == null) {
                socket.connectTimeout(millis, TimeUnit.MILLISECONDS);
            }
            if (connectionString.getSocketTimeout() == null) {
                socket.readTimeout(millis, TimeUnit.MILLISECONDS);
            }
        });
        return settings.build();
    }

    /**
     * @return where the store lives, for messages: hosts, database and collection, never credentials
     */
    String describeLocation() {
        String hosts = connectionString == null ? "a MongoClient handed in" : String.join(",", connectionString.getHosts());
        return hosts + " " + database + "." + collection;
    }

    /** Never shows the connection string, which may hold a password. */
    @Override
    public String toString() {
        return "MongoSettings[" + describeLocation() + (handedIn.isPresent() ? "" : ", timeout=" + timeout) + "]";
    }
}
