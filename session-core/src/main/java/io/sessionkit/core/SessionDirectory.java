package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The administrator's view of the stored sessions: a user's sessions through the backend's
 * {@link PrincipalIndex}, every session through its {@link SessionListing}, and revocation. A
 * revoked session's record is deleted, so every application node sees it gone at once; a request
 * of it still in flight cannot store it again on a backend with conditional writes.
 */
final class SessionDirectory {

    /** Largest page {@link #list} hands out: a page is held in memory whole. */
    static final int MAX_PAGE = 10_000;

    private final SessionBackend backend;
    private final String backendName;
    private final String keyPrefix;
    private final SessionSerializer serializer;
    private final SessionIds ids;
    private final BackendCalls calls;
    private final SessionEvents events;
    private final PrincipalTracking principals;

    SessionDirectory(SessionBackend backend, String backendName, String keyPrefix, SessionSerializer serializer,
                     SessionIds ids, BackendCalls calls, SessionEvents events, PrincipalTracking principals) {
        this.backend = backend;
        this.backendName = backendName;
        this.keyPrefix = keyPrefix;
        this.serializer = serializer;
        this.ids = ids;
        this.calls = calls;
        this.events = events;
        this.principals = principals;
    }

    List<SessionSummary> sessionsOf(String principal) {
        Objects.requireNonNull(principal, "principal");
        PrincipalIndex index = index("list the sessions of a user");
        List<SessionSummary> sessions = new ArrayList<>();
        for (ListedEntry entry : calls.call("sessionsOf", () -> index.entriesOf(principal))) {
            if (entry.key().startsWith(keyPrefix)) {
                sessions.add(summary(entry));
            }
        }
        return sessions;
    }

    boolean revoke(String id) {
        requireWellFormed(id);
        String key = keyPrefix + id;
        byte[] value = calls.call("load", () -> backend.load(key));
        if (value == null) {
            return false;
        }
        calls.run("delete", () -> backend.delete(key));
        principals.deleted(key, principals.principalOf(decode(value)));
        events.revoked(id);
        return true;
    }

    int revokeAllExcept(String principal, String keepId) {
        Objects.requireNonNull(principal, "principal");
        PrincipalIndex index = index("revoke the sessions of a user");
        int revoked = 0;
        for (ListedEntry entry : calls.call("sessionsOf", () -> index.entriesOf(principal))) {
            if (!entry.key().startsWith(keyPrefix)) {
                continue;
            }
            String id = entry.key().substring(keyPrefix.length());
            if (id.equals(keepId)) {
                continue;
            }
            calls.run("delete", () -> backend.delete(entry.key()));
            principals.deleted(entry.key(), principal);
            events.revoked(id);
            revoked++;
        }
        return revoked;
    }

    long count() {
        SessionListing listing = listing("count sessions");
        return calls.call("count", () -> listing.count(keyPrefix));
    }

    SessionPage list(String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ": " + limit);
        }
        SessionListing listing = listing("list sessions");
        ListedPage page;
        try {
            page = calls.call("list", () -> listing.list(keyPrefix, cursor, limit));
        } catch (SessionBackendException e) {
            if (e.getCause() instanceof IllegalArgumentException badCursor) {
                throw badCursor; // the caller's mistake, not the backend's failure
            }
            throw e;
        }
        List<SessionSummary> sessions = new ArrayList<>(page.entries().size());
        for (ListedEntry entry : page.entries()) {
            sessions.add(summary(entry));
        }
        return new SessionPage(sessions, page.nextCursor());
    }

    private SessionSummary summary(ListedEntry entry) {
        SessionRecord record = decode(entry.value());
        return new SessionSummary(entry.key().substring(keyPrefix.length()), principals.principalOf(record),
                record == null ? null : record.created(), entry.expiresAt(), entry.value().length);
    }

    /** The record, or {@code null} for bytes that do not decode: listing shows what it can. */
    private SessionRecord decode(byte[] value) {
        try {
            return serializer.deserialize(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void requireWellFormed(String id) {
        if (id == null || !ids.isWellFormed(id)) {
            throw new IllegalArgumentException("not a session id of this engine (" + ConfigKeys.SESSION_ID_LENGTH
                    + " random bytes in base64url): " + (id == null ? "null" : "'" + abbreviate(id) + "'"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 12 ? text : text.substring(0, 12) + "...";
    }

    private PrincipalIndex index(String operation) {
        if (!principals.configured()) {
            throw new IllegalStateException("cannot " + operation + ": " + ConfigKeys.SESSION_PRINCIPAL_KEY
                    + " is not set; set it to the session attribute that names the logged-in user");
        }
        PrincipalIndex index = principals.index();
        if (index == null) {
            throw new SessionCapabilityException(backendName, PrincipalIndex.class.getSimpleName(), operation);
        }
        return index;
    }

    private SessionListing listing(String operation) {
        return backend.capability(SessionListing.class).orElseThrow(
                () -> new SessionCapabilityException(backendName, SessionListing.class.getSimpleName(), operation));
    }
}
