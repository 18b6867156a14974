package io.sessionkit.mongodb;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.conversions.Bson;

import java.time.Duration;

import static io.sessionkit.mongodb.MongoCommands.EXPIRATION;
import static io.sessionkit.mongodb.MongoCommands.ID;
import static io.sessionkit.mongodb.MongoCommands.PAYLOAD;
import static io.sessionkit.mongodb.MongoCommands.VERSION;
import static io.sessionkit.mongodb.MongoCommands.payloadOf;

/**
 * Conditional writes on MongoDB, each one command on one document, which MongoDB applies
 * atomically: the filter is checked and the update made as one step.
 *
 * <ul>
 *   <li>{@link #loadVersioned}: {@code find} of the live document, with its {@code version};</li>
 *   <li>{@link #loadVersionedAndTouch}: {@code findOneAndUpdate} that sets {@code expiration}
 *       of the live document and returns it (the version is left alone);</li>
 *   <li>{@link #create}: {@code updateOne} with upsert whose filter matches only an expired
 *       document of the key: no document inserts one, an expired one is overwritten, and a live
 *       one makes the upsert's insert fail on the unique {@code _id} (duplicate key: "exists"); it
 *       removes the {@code principal} of the expired document it overwrites;</li>
 *   <li>{@link #replace}: {@code updateOne} filtered on {@code _id}, {@code version} and
 *       {@code expiration > now};</li>
 *   <li>{@link #delete}: {@code deleteOne} with the same filter.</li>
 * </ul>
 * Every write sets the payload and increments {@code version} in the same update, so the version
 * only grows: a version once read never comes back. A document without {@code version} (written
 * by a release before it) is version 0, and the first write gives it version 1. A replace keeps
 * the session's {@code principal}. Thread-safe.
 */
final class MongoConditionalWrites implements ConditionalWrites {

    private static final Bson PAYLOAD_AND_VERSION = Projections.include(PAYLOAD, VERSION);

    private final MongoCommands commands;

    MongoConditionalWrites(MongoCommands commands) {
        this.commands = commands;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        BsonDocument document = commands.run("load",
                () -> commands.sessions().find(commands.live(key)).projection(PAYLOAD_AND_VERSION).first());
        return entryOf(document);
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        BsonDocument document = commands.run("load and touch", () -> commands.sessions().findOneAndUpdate(
                commands.live(key), Updates.set(EXPIRATION, commands.after(timeToLive)),
                new FindOneAndUpdateOptions().projection(PAYLOAD_AND_VERSION).returnDocument(ReturnDocument.AFTER)));
        return entryOf(document);
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        BsonDocument expiredOnly = new BsonDocument(ID, new BsonString(key))
                .append(EXPIRATION, new BsonDocument("$lte", commands.now()));
        return commands.upsertUnlessTaken("create", expiredOnly, commands.create(value, timeToLive));
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        Bson write = commands.write(value, timeToLive);
        return commands.run("replace",
                () -> commands.sessions().updateOne(liveAt(key, expectedVersion), write).getMatchedCount() == 1);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return commands.run("delete",
                () -> commands.sessions().deleteOne(liveAt(key, expectedVersion)).getDeletedCount() == 1);
    }

    /**
     * The live document of {@code key} if it is still of {@code version}. Version 0 is a document
     * of an earlier release, which has a payload but no version field.
     */
    private BsonDocument liveAt(String key, long version) {
        BsonDocument filter = new BsonDocument(ID, new BsonString(key))
                .append(EXPIRATION, new BsonDocument("$gt", commands.now()));
        if (version == 0) {
            return filter.append(VERSION, new BsonDocument("$exists", BsonBoolean.FALSE))
                    .append(PAYLOAD, new BsonDocument("$exists", BsonBoolean.TRUE));
        }
        return filter.append(VERSION, new BsonInt64(version));
    }

    private static VersionedEntry entryOf(BsonDocument document) {
        byte[] value = payloadOf(document);
        if (value == null) {
            return null;
        }
        long version = document.isNumber(VERSION) ? document.getNumber(VERSION).longValue() : 0;
        return new VersionedEntry(value, version);
    }
}
