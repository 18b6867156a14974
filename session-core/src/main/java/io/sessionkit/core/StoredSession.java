package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;

import java.time.Instant;

/**
 * A session as read from the backend at the start of a request.
 *
 * @param record       the decoded record
 * @param storeVersion the backend's version of the entry, for a conditional save; 0 when the
 *                     backend has no {@link io.sessionkit.spi.ConditionalWrites}
 * @param bytes        the bytes read, decoded again only when a save meets a conflict
 * @param lockToken    the token of the lock taken before the read, or {@code null}
 * @param expiresAt    when the entry expired as of the read, or {@code null} when not known
 */
record StoredSession(SessionRecord record, long storeVersion, byte[] bytes, String lockToken, Instant expiresAt) {
}
