package io.sessionkit.mongodb;

import com.mongodb.client.model.Projections;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.time.Instant;

import static io.sessionkit.mongodb.MongoCommands.EXPIRATION;
import static io.sessionkit.mongodb.MongoCommands.PAYLOAD;
import static io.sessionkit.mongodb.MongoCommands.VERSION;
import static io.sessionkit.mongodb.MongoCommands.payloadOf;

/**
 * Reads on MongoDB that report the expiry: the same {@code find} of the live document as
 * {@link MongoConditionalWrites#loadVersioned}, projecting its {@code expiration} as well.
 * Thread-safe.
 */
final class MongoExpiryReportingLoad implements ExpiryReportingLoad {

    private static final Bson PAYLOAD_VERSION_AND_EXPIRATION = Projections.include(PAYLOAD, VERSION, EXPIRATION);

    private final MongoCommands commands;

    MongoExpiryReportingLoad(MongoCommands commands) {
        this.commands = commands;
    }

    @Override
    public VersionedEntry loadWithExpiry(String key) {
        BsonDocument document = commands.run("load",
                () -> commands.sessions().find(commands.live(key)).projection(PAYLOAD_VERSION_AND_EXPIRATION).first());
        byte[] value = payloadOf(document);
        if (value == null) {
            return null;
        }
        long version = document.isNumber(VERSION) ? document.getNumber(VERSION).longValue() : 0;
        Instant expiresAt = document.isDateTime(EXPIRATION)
                ? Instant.ofEpochMilli(document.getDateTime(EXPIRATION).getValue()) : null;
        return new VersionedEntry(value, version, expiresAt);
    }
}
