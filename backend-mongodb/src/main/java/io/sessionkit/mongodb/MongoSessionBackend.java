package io.sessionkit.mongodb;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Stores each session as one MongoDB document:
 * <pre>{@code { _id: "<key>", val: BinData(...), expiration: ISODate(...) } }</pre>
 * A TTL index on {@code expiration} (created by the provider at start-up,
 * {@code expireAfterSeconds: 0}) lets the server delete expired documents. The TTL monitor runs
 * only once a minute, so every read also filters on {@code expiration > now}, with now taken
 * from the configured clock.
 *
 * <p>Each operation is one round trip: save is a {@code replaceOne} upsert, touch an
 * {@code updateOne} of {@code expiration} alone, and {@link #loadAndTouch} a
 * {@code findOneAndUpdate}. Thread-safe. Failures are thrown as {@link SessionBackendException}
 * after at most the configured timeout ({@code SESSION_MONGODB_TIMEOUT}); so is every operation
 * after {@link #close()}, which closes the client only if the provider built it.
 */
public final class MongoSessionBackend implements SessionBackend, TouchingLoad {

    static final String ID = "_id";
    static final String PAYLOAD = "val";
    static final String EXPIRATION = "expiration";

    private static final Bson PAYLOAD_ONLY = Projections.include(PAYLOAD);

    private final BackendClient<MongoClient> client;
    private final MongoCollection<BsonDocument> sessions;
    private final Clock clock;
    private final String location;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param client   the client, closed with this backend unless it was handed in
     * @param sessions the collection holding the sessions, of {@code client}
     * @param clock    the time source of expiry decisions
     * @param location hosts, database and collection, for messages
     */
    MongoSessionBackend(BackendClient<MongoClient> client, MongoCollection<BsonDocument> sessions, Clock clock,
                        String location) {
        this.client = client;
        this.sessions = sessions;
        this.clock = clock;
        this.location = location;
    }

    @Override
    public byte[] load(String key) {
        BsonDocument document = call("load", () -> sessions.find(live(key)).projection(PAYLOAD_ONLY).first());
        return payloadOf(document);
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        BsonDocument document = call("load and touch", () -> sessions.findOneAndUpdate(live(key),
                Updates.set(EXPIRATION, expiryAfter(timeToLive)),
                new FindOneAndUpdateOptions().projection(PAYLOAD_ONLY)));
        return payloadOf(document);
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        BsonDocument document = new BsonDocument(ID, new BsonString(key))
                .append(PAYLOAD, new BsonBinary(value.clone()))
                .append(EXPIRATION, expiryAfter(timeToLive));
        call("save", () -> {
            try {
                return sessions.replaceOne(Filters.eq(ID, key), document, new ReplaceOptions().upsert(true));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // Two upserts of a new key raced and the other inserted first; servers before 4.2
                // report that instead of retrying. The document now exists, so this replace matches it.
                return sessions.replaceOne(Filters.eq(ID, key), document, new ReplaceOptions().upsert(true));
            }
        });
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        // Filtering on live documents keeps an expired one expired, and no upsert means no husk.
        call("touch", () -> sessions.updateOne(live(key), Updates.set(EXPIRATION, expiryAfter(timeToLive))));
    }

    @Override
    public void delete(String key) {
        call("delete", () -> sessions.deleteOne(Filters.eq(ID, key)));
    }

    @Override
    public void close() {
        closed.set(true);
        client.close();
    }

    @Override
    public String toString() {
        return "MongoSessionBackend[" + location + "]";
    }

    private Bson live(String key) {
        return Filters.and(Filters.eq(ID, key), Filters.gt(EXPIRATION, new BsonDateTime(clock.millis())));
    }

    private BsonDateTime expiryAfter(Duration timeToLive) {
        return new BsonDateTime(Instant.now(clock).plus(timeToLive).toEpochMilli());
    }

    private static byte[] payloadOf(BsonDocument document) {
        if (document == null) {
            return null;
        }
        return document.isBinary(PAYLOAD) ? document.getBinary(PAYLOAD).getData() : null;
    }

    private <T> T call(String operation, Supplier<T> command) {
        if (closed.get()) {
            throw new SessionBackendException(MongoSessionBackendProvider.TYPE, operation,
                    "this backend for " + location + " has been closed", null);
        }
        try {
            return command.get();
        } catch (MongoException | IllegalStateException e) {
            throw failure(operation, location, e);
        }
    }

    /**
     * Turns a driver failure into the store's error, with a hint at the keys to check.
     *
     * @param operation what was attempted
     * @param location  hosts, database and collection
     * @param e         a {@link MongoException}, or the {@link IllegalStateException} the driver
     *                  throws once its client is closed
     * @return the exception to throw
     */
    static SessionBackendException failure(String operation, String location, RuntimeException e) {
        String message;
        if (e instanceof MongoTimeoutException) {
            message = "no MongoDB server answered at " + location
                    + " within the timeout; check SESSION_MONGODB and SESSION_MONGODB_TIMEOUT and that the server is up";
        } else if (e instanceof MongoException) {
            message = "MongoDB at " + location + " failed: " + e.getMessage();
        } else {
            // A handed-in client closed by its owner.
            message = "the MongoClient is closed: " + e.getMessage();
        }
        return new SessionBackendException(MongoSessionBackendProvider.TYPE, operation, message, e);
    }
}
