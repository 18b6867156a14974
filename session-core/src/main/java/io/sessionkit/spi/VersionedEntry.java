package io.sessionkit.spi;

import java.time.Instant;

/**
 * A stored entry with the backend's version of it, as read by {@link ConditionalWrites}, and its
 * expiry where the read reports it ({@link ExpiryReportingLoad}).
 *
 * @param value     the bytes last saved; the engine does not modify them
 * @param version   a number the backend chose that changes whenever the entry's bytes change (a
 *                  version column, memcached's CAS value, a digest of the bytes), to be handed
 *                  back to {@link ConditionalWrites#replace} or {@link ConditionalWrites#delete}
 * @param expiresAt when the entry expires as of this read, or {@code null} when the read does
 *                  not tell
 */
public record VersionedEntry(byte[] value, long version, Instant expiresAt) {

    /**
     * An entry read without its expiry.
     *
     * @param value   the bytes last saved
     * @param version the backend's version of them
     */
    public VersionedEntry(byte[] value, long version) {
        this(value, version, null);
    }
}
