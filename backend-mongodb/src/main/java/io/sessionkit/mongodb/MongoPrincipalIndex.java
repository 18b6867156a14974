package io.sessionkit.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.sessionkit.mongodb.MongoCommands.LISTED_FIELDS;
import static io.sessionkit.mongodb.MongoCommands.PRINCIPAL;

/**
 * A user's sessions on MongoDB: the field {@code principal} of the session's own document, with a
 * sparse index on it that the provider creates at start-up. The principal lives and dies with the
 * document, so an expired or deleted session is never listed, and the TTL monitor needs no help.
 *
 * <ul>
 *   <li>{@link #assign}: one {@code updateOne} of the live document ({@code _id},
 *       {@code expiration > now}) that sets {@code principal}, or unsets it for none; a document
 *       that is gone or expired is left alone.</li>
 *   <li>{@link #entriesOf}: one {@code find} of {@code {principal, expiration > now}} on the index,
 *       returning {@code _id}, {@code val} and {@code expiration} (a large result is fetched in
 *       batches of the same cursor).</li>
 * </ul>
 * Saves, replaces, touches and locks leave the field alone; a create over an expired document
 * removes it, so that a new session never inherits a dead one's user. Thread-safe.
 */
final class MongoPrincipalIndex implements PrincipalIndex {

    private final MongoCommands commands;

    MongoPrincipalIndex(MongoCommands commands) {
        this.commands = commands;
    }

    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        Bson change = principal == null ? Updates.unset(PRINCIPAL) : Updates.set(PRINCIPAL, principal);
        commands.run("assign a principal", () -> commands.sessions().updateOne(commands.live(key), change));
    }

    @Override
    public List<ListedEntry> entriesOf(String principal) {
        Bson ofPrincipal = Filters.and(Filters.eq(PRINCIPAL, principal), commands.liveSessions());
        List<BsonDocument> documents = commands.run("list the sessions of a principal",
                () -> commands.sessions().find(ofPrincipal).projection(LISTED_FIELDS).into(new ArrayList<>()));
        List<ListedEntry> entries = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            ListedEntry entry = MongoCommands.listedEntryOf(document);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    @Override
    public boolean keptInEntry() {
        return true;
    }
}
