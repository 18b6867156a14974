package io.sessionkit.mongodb;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.Redaction;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The sessions collection as every operation of the store uses it: the document's field names,
 * the time of expiry decisions, and one way to run a command, which refuses to run after close
 * and turns the driver's failures into {@link SessionBackendException}. Shared by the backend and
 * its capabilities. Thread-safe.
 *
 * <p>A session's document:
 * <pre>{@code { _id: "<key>", val: BinData(...), expiration: ISODate(...), version: NumberLong(...),
 *   principal: "...", lockToken: "...", lockUntil: ISODate(...) } }</pre>
 * {@code version} is set to 1 by the first write and incremented by every write of {@code val},
 * in the same command; documents written before it existed have none, which counts as version 0.
 * {@code principal} is there only while the session belongs to a user ({@link MongoPrincipalIndex}):
 * every write but a create keeps it. {@code lockToken} and {@code lockUntil} are there only while a
 * session lock is held.
 */
final class MongoCommands {

    static final String ID = "_id";
    static final String PAYLOAD = "val";
    static final String EXPIRATION = "expiration";
    static final String VERSION = "version";
    static final String PRINCIPAL = "principal";
    static final String LOCK_TOKEN = "lockToken";
    static final String LOCK_UNTIL = "lockUntil";
    /** The fields {@link #listedEntryOf} reads. */
    static final Bson LISTED_FIELDS = Projections.include(ID, PAYLOAD, EXPIRATION);

    private final MongoCollection<BsonDocument> sessions;
    private final Clock clock;
    private final String location;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param sessions the collection holding the sessions
     * @param clock    the time source of expiry and lease decisions
     * @param location hosts, database and collection, for messages
     */
    MongoCommands(MongoCollection<BsonDocument> sessions, Clock clock, String location) {
        this.sessions = sessions;
        this.clock = clock;
        this.location = location;
    }

    MongoCollection<BsonDocument> sessions() {
        return sessions;
    }

    String location() {
        return location;
    }

    BsonDateTime now() {
        return new BsonDateTime(clock.millis());
    }

    BsonDateTime after(Duration duration) {
        return new BsonDateTime(Instant.now(clock).plus(duration).toEpochMilli());
    }

    /** The document of {@code key} if it has not expired. */
    Bson live(String key) {
        return Filters.and(Filters.eq(ID, key), Filters.gt(EXPIRATION, now()));
    }

    /**
     * The update of every write of a session's bytes: payload, expiry and a new version, in one
     * command, so that a reader holding the old version can no longer replace or delete it.
     * Other fields (a held lock) are left alone.
     */
    Bson write(byte[] value, Duration timeToLive) {
        return Updates.combine(
                Updates.set(PAYLOAD, new BsonBinary(value.clone())),
                Updates.set(EXPIRATION, after(timeToLive)),
                Updates.inc(VERSION, 1L));
    }

    /**
     * The update of a create: {@link #write} that also drops the {@code principal} an expired
     * document being overwritten may still hold, so that a new session never inherits the user
     * of a dead one. The engine assigns the new session's own principal after the create.
     */
    Bson create(byte[] value, Duration timeToLive) {
        return Updates.combine(write(value, timeToLive), Updates.unset(PRINCIPAL));
    }

    /**
     * Documents that hold a live session: not expired, and with a payload (which a document
     * holding only a lock on a key without session never has).
     */
    Bson liveSessions() {
        return Filters.and(Filters.gt(EXPIRATION, now()), Filters.exists(PAYLOAD));
    }

    /**
     * Runs an {@code updateOne} with upsert whose filter names the document by {@code _id} and
     * matches it only when it may be written: no document inserts one, a matching one is
     * updated, and one that does not match makes the upsert's insert fail on the unique
     * {@code _id}, which MongoDB checks atomically with the insert.
     *
     * @param operation what is attempted, for the error
     * @param filter    a top-level equality on {@code _id}, so that an insert takes the key from it,
     *                  and the condition
     * @param update    the update
     * @return {@code false} when the document exists and did not match the filter
     * @throws SessionBackendException when the backend is closed or the command failed otherwise
     */
    boolean upsertUnlessTaken(String operation, BsonDocument filter, Bson update) {
        return run(operation, () -> {
            try {
                sessions.updateOne(filter, update, new UpdateOptions().upsert(true));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** From now on every command fails; idempotent. */
    void close() {
        closed.set(true);
    }

    /**
     * Runs one command against the server.
     *
     * @param operation what is attempted, for the error
     * @param command   the command
     * @return what the command returned
     * @throws SessionBackendException when the backend is closed or the command failed
     */
    <T> T run(String operation, Supplier<T> command) {
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
     * @return the serialized session of a document, or {@code null} when there is none (no
     *         document, or one SessionKit did not write)
     */
    static byte[] payloadOf(BsonDocument document) {
        if (document == null) {
            return null;
        }
        return document.isBinary(PAYLOAD) ? document.getBinary(PAYLOAD).getData() : null;
    }

    /**
     * @return a listed session of a document read with {@link #LISTED_FIELDS}, or {@code null} when
     *         the document holds no session SessionKit wrote
     */
    static ListedEntry listedEntryOf(BsonDocument document) {
        byte[] value = payloadOf(document);
        if (value == null || !document.isString(ID) || !document.isDateTime(EXPIRATION)) {
            return null;
        }
        return new ListedEntry(document.getString(ID).getValue(), value,
                Instant.ofEpochMilli(document.getDateTime(EXPIRATION).getValue()));
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
            // A duplicate-key error quotes the key, and so the session id.
            message = "MongoDB at " + location + " failed: " + Redaction.message(e.getMessage());
        } else {
            // A handed-in client closed by its owner.
            message = "the MongoClient is closed: " + Redaction.message(e.getMessage());
        }
        return new SessionBackendException(MongoSessionBackendProvider.TYPE, operation, message, e);
    }
}
