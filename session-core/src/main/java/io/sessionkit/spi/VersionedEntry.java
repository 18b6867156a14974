package io.sessionkit.spi;

/**
 * A stored entry with the backend's version of it, as read by {@link ConditionalWrites}.
 *
 * @param value   the bytes last saved; the engine does not modify them
 * @param version a number the backend chose that changes whenever the entry's bytes change (a
 *                version column, memcached's CAS value, a digest of the bytes), to be handed
 *                back to {@link ConditionalWrites#replace} or {@link ConditionalWrites#delete}
 */
public record VersionedEntry(byte[] value, long version) {
}
