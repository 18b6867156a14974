package io.sessionkit.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB store's own configuration keys, read and validated together.
 *
 * @param connectionString {@code SESSION_MONGODB}; {@code null} only when it was invalid, in which case
 *                         validation has already failed
 * @param database         {@code SESSION_MONGODB_DB}
 * @param collection       {@code SESSION_MONGODB_COLLECT}
 * @param timeout          {@code SESSION_MONGODB_TIMEOUT}: server selection, connect and socket read timeout
 */
record MongoStoreConfig(ConnectionString connectionString, String database, String collection, Duration timeout) {

    static final String SESSION_MONGODB = "SESSION_MONGODB";
    static final String SESSION_MONGODB_DB = "SESSION_MONGODB_DB";
    static final String SESSION_MONGODB_COLLECT = "SESSION_MONGODB_COLLECT";
    static final String SESSION_MONGODB_TIMEOUT = "SESSION_MONGODB_TIMEOUT";

    static final String DEFAULT_CONNECTION_STRING = "mongodb://127.0.0.1:27017";
    static final String DEFAULT_DATABASE = "flask_session";
    static final String DEFAULT_COLLECTION = "sessions";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Reads every key and reports all problems at once.
     *
     * @param config the whole configuration
     * @param clientHandedIn whether a {@code MongoClient} was handed in, which makes {@code SESSION_MONGODB}
     *                       and the timeout irrelevant (they are then not checked)
     * @return the validated settings
     * @throws io.sessionkit.SessionConfigException naming every bad key and value
     */
    static MongoStoreConfig read(SessionConfig config, boolean clientHandedIn) {
        ConfigReader reader = config.reader();
        ConnectionString connectionString = clientHandedIn ? null
                : parseConnectionString(reader, reader.string(SESSION_MONGODB, DEFAULT_CONNECTION_STRING));
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
        Duration timeout = reader.duration(SESSION_MONGODB_TIMEOUT, DEFAULT_TIMEOUT);
        reader.validate();
        return new MongoStoreConfig(connectionString, database, collection, timeout);
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
     */
    MongoClientSettings clientSettings() {
        long millis = timeout.toMillis();
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(connectionString);
        if (connectionString.getServerSelectionTimeout() == null) {
            settings.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS));
        }
        settings.applyToSocketSettings(socket -> {
            if (connectionString.getConnectTimeout() == null) {
                socket.connectTimeout((int) Math.min(millis, Integer.MAX_VALUE), TimeUnit.MILLISECONDS);
            }
            if (connectionString.getSocketTimeout() == null) {
                socket.readTimeout((int) Math.min(millis, Integer.MAX_VALUE), TimeUnit.MILLISECONDS);
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
}
