package io.sessionkit.mongodb;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.Optional;

import static io.sessionkit.mongodb.MongoCommands.EXPIRATION;
import static io.sessionkit.mongodb.MongoCommands.ID;
import static io.sessionkit.mongodb.MongoCommands.PAYLOAD;
import static io.sessionkit.mongodb.MongoCommands.payloadOf;

/**
 * Stores each session as one MongoDB document (see {@link MongoCommands} for its fields). A TTL
 * index on {@code expiration} (created by the provider at start-up, {@code expireAfterSeconds: 0})
 * lets the server delete expired documents. The TTL monitor runs only once a minute, so every
 * read also filters on {@code expiration > now}, with now taken from the configured clock.
 *
 * <p>Each operation is one round trip: save is an {@code updateOne} upsert that sets the payload
 * and expiry and increments {@code version} (leaving a held session lock alone), touch an
 * {@code updateOne} of {@code expiration} alone, and {@link #loadAndTouch} a
 * {@code findOneAndUpdate}. None of them changes the session's {@code principal}. Capabilities
 * beyond {@link TouchingLoad}: {@link ConditionalWrites} ({@link MongoConditionalWrites}),
 * {@link SessionLocks} ({@link MongoSessionLocks}), {@link ExpiryReportingLoad}
 * ({@link MongoExpiryReportingLoad}), {@link PrincipalIndex} ({@link MongoPrincipalIndex}) and
 * {@link SessionListing} ({@link MongoSessionListing}). Thread-safe. Failures are thrown as
 * {@link SessionBackendException} after at most the
 * configured timeout ({@code SESSION_MONGODB_TIMEOUT}); so is every operation after
 * {@link #close()}, which closes the client only if the provider built it.
 */
public final class MongoSessionBackend implements SessionBackend, TouchingLoad {

    private static final Bson PAYLOAD_ONLY = Projections.include(PAYLOAD);

    private final BackendClient<MongoClient> client;
    private final MongoCommands commands;
    private final Capabilities capabilities;

    /**
     * @param client   the client, closed with this backend unless it was handed in
     * @param commands the collection holding the sessions, of {@code client}
     */
    MongoSessionBackend(BackendClient<MongoClient> client, MongoCommands commands) {
        this.client = client;
        this.commands = commands;
        this.capabilities = Capabilities.none()
                .with(ConditionalWrites.class, new MongoConditionalWrites(commands))
                .with(ExpiryReportingLoad.class, new MongoExpiryReportingLoad(commands))
                .with(SessionLocks.class, new MongoSessionLocks(commands))
                .with(PrincipalIndex.class, new MongoPrincipalIndex(commands))
                .with(SessionListing.class, new MongoSessionListing(commands));
    }

    @Override
    public byte[] load(String key) {
        BsonDocument document = commands.run("load",
                () -> commands.sessions().find(commands.live(key)).projection(PAYLOAD_ONLY).first());
        return payloadOf(document);
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        BsonDocument document = commands.run("load and touch", () -> commands.sessions().findOneAndUpdate(
                commands.live(key), Updates.set(EXPIRATION, commands.after(timeToLive)),
                new FindOneAndUpdateOptions().projection(PAYLOAD_ONLY)));
        return payloadOf(document);
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        Bson write = commands.write(value, timeToLive);
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        commands.run("save", () -> {
            try {
                return commands.sessions().updateOne(Filters.eq(ID, key), write, upsert);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // Two upserts of a new key raced and the other inserted first; servers before 4.2
                // report that instead of retrying. The document now exists, so this update matches it.
                return commands.sessions().updateOne(Filters.eq(ID, key), write, upsert);
            }
        });
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        // Filtering on live documents keeps an expired one expired, and no upsert means no husk.
        commands.run("touch", () -> commands.sessions().updateOne(commands.live(key),
                Updates.set(EXPIRATION, commands.after(timeToLive))));
    }

    @Override
    public void delete(String key) {
        commands.run("delete", () -> commands.sessions().deleteOne(Filters.eq(ID, key)));
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    @Override
    public void close() {
        commands.close();
        client.close();
    }

    @Override
    public String toString() {
        return "MongoSessionBackend[" + commands.location() + "]";
    }
}
