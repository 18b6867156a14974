package io.sessionkit.mongodb;

import com.mongodb.client.model.Updates;
import io.sessionkit.spi.SessionLocks;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.List;

import static io.sessionkit.mongodb.MongoCommands.EXPIRATION;
import static io.sessionkit.mongodb.MongoCommands.ID;
import static io.sessionkit.mongodb.MongoCommands.LOCK_TOKEN;
import static io.sessionkit.mongodb.MongoCommands.LOCK_UNTIL;

/**
 * Session locks on MongoDB: the fields {@code lockToken} and {@code lockUntil} (the lease's end)
 * of the session's own document, so a lock lives and dies with its session.
 *
 * <ul>
 *   <li>{@link #tryLock}: one {@code updateOne} with upsert whose filter matches the document
 *       only when no lease runs (no {@code lockUntil}, or one not after now) or this token holds
 *       it; it sets token and lease end. When a live lease of another token keeps the filter from
 *       matching, the upsert's insert fails on the unique {@code _id}: "held". With no document at
 *       all, the insert succeeds and grants the lock on a document that holds only the lock and an
 *       {@code expiration} of now, so that every data operation sees no session there and the TTL
 *       monitor removes it.</li>
 *   <li>{@link #unlock}: one {@code updateOne} that removes both fields if the token still holds
 *       them.</li>
 * </ul>
 * Matching this token's own lock again makes a resent {@code tryLock} (a retryable write) harmless.
 * Leases are measured on the configured clock of each node, so clocks of nodes sharing the
 * collection must agree to well within a lease. Thread-safe.
 */
final class MongoSessionLocks implements SessionLocks {

    private final MongoCommands commands;

    MongoSessionLocks(MongoCommands commands) {
        this.commands = commands;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        BsonString holder = new BsonString(token);
        BsonDocument free = new BsonDocument(ID, new BsonString(key)).append("$or", new BsonArray(List.of(
                new BsonDocument(LOCK_UNTIL, new BsonDocument("$exists", BsonBoolean.FALSE)),
                new BsonDocument(LOCK_UNTIL, new BsonDocument("$lte", commands.now())),
                new BsonDocument(LOCK_TOKEN, holder))));
        Bson take = Updates.combine(
                Updates.set(LOCK_TOKEN, holder),
                Updates.set(LOCK_UNTIL, commands.after(lease)),
                Updates.setOnInsert(EXPIRATION, commands.now()));
        return commands.upsertUnlessTaken("lock", free, take);
    }

    @Override
    public void unlock(String key, String token) {
        BsonDocument held = new BsonDocument(ID, new BsonString(key)).append(LOCK_TOKEN, new BsonString(token));
        commands.run("unlock", () -> commands.sessions().updateOne(held,
                Updates.combine(Updates.unset(LOCK_TOKEN), Updates.unset(LOCK_UNTIL))));
    }
}
