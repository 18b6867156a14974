package io.sessionkit.mongodb;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.util.concurrent.TimeUnit;

/**
 * Provides {@code SESSION_TYPE=mongodb}: sessions in a MongoDB collection.
 *
 * <p>Keys, as in Flask-Session:
 * <ul>
 *   <li>{@code SESSION_MONGODB}: connection string, default {@code mongodb://127.0.0.1:27017};</li>
 *   <li>{@code SESSION_MONGODB_DB}: database, default {@code flask_session};</li>
 *   <li>{@code SESSION_MONGODB_COLLECT}: collection, default {@code sessions};</li>
 *   <li>{@code SESSION_MONGODB_TIMEOUT}: server selection, connect and read timeout, default 5 s.</li>
 * </ul>
 * A {@link MongoClient} handed in with {@code SessionConfig.builder().client(mongoClient)} is used
 * with the database and collection keys, and is not closed by the backend; setting
 * {@code SESSION_MONGODB} or {@code SESSION_MONGODB_TIMEOUT} as well is a configuration error,
 * since only one of them can say how to connect.
 *
 * <p>{@link #create} connects at once to create the TTL index and the principal index, so an unreachable server is
 * reported at start-up as a {@link SessionBackendException}, after at most the timeout.
 */
public final class MongoSessionBackendProvider implements SessionBackendProvider {

    /** The {@code SESSION_TYPE} of this store. */
    public static final String TYPE = "mongodb";

    /** Creates the provider; it reads nothing and connects nowhere until {@link #create}. */
    public MongoSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        MongoSettings settings = MongoSettings.read(config);
        BackendClient<MongoClient> client = settings.handedIn()
                .map(BackendClient::handedIn)
                .orElseGet(() -> BackendClient.owned(MongoClients.create(settings.clientSettings()), MongoClient::close));
        return client.closeOnFailure(c -> {
            MongoCollection<BsonDocument> sessions = c.get().getDatabase(settings.database())
                    .getCollection(settings.collection(), BsonDocument.class);
            prepare(sessions, settings.describeLocation());
            return new MongoSessionBackend(c, new MongoCommands(sessions, config.clock(), settings.describeLocation()));
        });
    }

    /**
     * Creates the TTL index on {@code expiration}, so that the server deletes expired documents,
     * and the sparse index on {@code principal} that finds a user's sessions, each unless it
     * exists; idempotent, so every node may run it at start-up, and a collection of an earlier
     * release gets the principal index on its first start.
     *
     * @throws SessionBackendException when the server cannot be reached or refuses an index
     */
    private static void prepare(MongoCollection<BsonDocument> sessions, String location) {
        createIndex(sessions, location, "create the TTL index on '" + MongoCommands.EXPIRATION + "'",
                Indexes.ascending(MongoCommands.EXPIRATION), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        // Sparse: only the documents of logged-in users are in it, the anonymous ones cost nothing.
        createIndex(sessions, location, "create the index on '" + MongoCommands.PRINCIPAL + "'",
                Indexes.ascending(MongoCommands.PRINCIPAL), new IndexOptions().sparse(true));
    }

    private static void createIndex(MongoCollection<BsonDocument> sessions, String location, String operation,
                                    Bson keys, IndexOptions options) {
        try {
            sessions.createIndex(keys, options);
        } catch (MongoException | IllegalStateException e) {
            throw MongoCommands.failure(operation, location, e);
        }
    }
}
