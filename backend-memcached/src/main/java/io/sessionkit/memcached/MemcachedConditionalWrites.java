package io.sessionkit.memcached;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import java.time.Duration;
import java.util.Arrays;

/**
 * Conditional writes on memcached, with its own compare-and-swap: the version of an entry is
 * the item's CAS value, which memcached changes on every write of the item ({@code set},
 * {@code add}, {@code cas}, blind saves included) and keeps when only its expiry changes
 * ({@code touch}, {@code gat}).
 *
 * <ul>
 *   <li>{@link #loadVersioned}: {@code gets}; {@link #loadVersionedAndTouch}: {@code gat}, which
 *       returns the CAS value too.</li>
 *   <li>{@link #create}: {@code add}.</li>
 *   <li>{@link #replace}: {@code cas} (binary {@code set} with the expected CAS value).</li>
 *   <li>{@link #delete}: {@code delete} with the expected CAS value.</li>
 * </ul>
 * One round trip each; memcached expires items itself, and an expired item counts as absent
 * for all of them.
 *
 * <p>An operation that spymemcached cancelled because its connection dropped is sent once more
 * (see {@link MemcachedCommands}), and may have run the first time. Reads and the conditional
 * delete give the same result when run twice (a delete that ran answers "not found" the second
 * time: the entry is gone either way). {@code add}, when the key then exists, reads it back: it
 * is this call's if it holds exactly its bytes, since a new session's random id is known to
 * nobody else. {@code cas}, when the CAS value then differs, reads the item: if it holds exactly
 * the new bytes the first attempt ran; if it holds other bytes, the first attempt may have run
 * and been overwritten since, or not have run, and answering "stale" could make the engine
 * apply this request's changes a second time over a later request's, so the save fails with a
 * {@link io.sessionkit.SessionBackendException} instead. Thread-safe.
 */
final class MemcachedConditionalWrites implements ConditionalWrites {

    private final MemcachedCommands commands;

    /**
     * @param commands the backend's operations
     */
    MemcachedConditionalWrites(MemcachedCommands commands) {
        this.commands = commands;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        return versioned(key, commands.gets("load", key));
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        return versioned(key, MemcachedSessionBackend.getAndTouch(commands, key, timeToLive));
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        commands.checkSize(key, value);
        return commands.add("save", key, value, MemcachedCommands.expirationOf(timeToLive));
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        commands.checkSize(key, value);
        long cas = commands.checkedCas("save", key, expectedVersion);
        int expiration = MemcachedCommands.expirationOf(timeToLive);
        MemcachedCommands.Answer<CASResponse> answer = commands.call("save", key,
                () -> commands.client().asyncCAS(key, cas, expiration, value, RawBytesTranscoder.INSTANCE));
        if (answer.value() == CASResponse.OK) {
            return true;
        }
        if (answer.value() == CASResponse.NOT_FOUND) {
            return false;
        }
        if (answer.value() != CASResponse.EXISTS) {
            throw answer.status() == null ? commands.failure("save", key, "memcached answered " + answer.value())
                    : commands.writeRefused("save", key, value, answer.status());
        }
        if (!answer.resent()) {
            return false;
        }
        CASValue<byte[]> now = commands.gets("save", key);
        if (now == null) {
            return false;
        }
        if (Arrays.equals(now.getValue(), value)) {
            return true;
        }
        throw commands.failure("save", key, "the connection broke while saving a session, and another request saved it"
                + " before this one could check whether its save had been stored, so it may or may not have been;"
                + " nothing more was written");
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        long cas = commands.checkedCas("delete", key, expectedVersion);
        MemcachedCommands.Answer<Boolean> deleted = commands.call("delete", key, () -> commands.client().delete(key, cas));
        if (Boolean.TRUE.equals(deleted.value())) {
            return true;
        }
        if (deleted.notFound() || deleted.exists()) {
            return false;
        }
        throw commands.refused("delete", key, deleted.status());
    }

    private VersionedEntry versioned(String key, CASValue<byte[]> item) {
        return item == null ? null : new VersionedEntry(item.getValue(), commands.casOf("load", key, item));
    }
}
