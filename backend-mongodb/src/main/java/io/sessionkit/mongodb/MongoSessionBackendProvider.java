package io.sessionkit.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import org.bson.BsonDocument;

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
 * instead of the connection string and timeout, and is not closed by the backend.
 *
 * <p>{@link #create} connects at once to create the TTL index, so an unreachable server is
 * reported at start-up as a {@link SessionBackendException}, after at most the timeout.
 */
public final class MongoSessionBackendProvider implements SessionBackendProvider {

    /** Does no work; see {@link #create}. */
    public MongoSessionBackendProvider() {
    }

    @Override
    public String type() {
        return MongoSessionBackend.TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        MongoClient handedIn = config.client(MongoClient.class).orElse(null);
        MongoStoreConfig settings = MongoStoreConfig.read(config, handedIn != null);
        MongoClient client = handedIn != null ? handedIn : MongoClients.create(settings.clientSettings());
        MongoClient owned = handedIn != null ? null : client;
        MongoCollection<BsonDocument> sessions = client.getDatabase(settings.database())
                .getCollection(settings.collection(), BsonDocument.class);
        MongoSessionBackend backend = new MongoSessionBackend(sessions, config.clock(), settings.describeLocation(), owned);
        try {
            backend.createTtlIndex();
        } catch (SessionBackendException e) {
            backend.close();
            throw e;
        }
        return backend;
    }
}
