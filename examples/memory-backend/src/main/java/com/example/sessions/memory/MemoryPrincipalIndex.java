package com.example.sessions.memory;

import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static com.example.sessions.memory.MemorySessionBackend.ENTRIES;

/**
 * The principal index kept in the entries: {@link #assign} sets an entry's principal in one atomic
 * map operation, so the principal goes with the entry when it is deleted or expires, and every
 * write of the entry keeps it ({@link MemorySessionBackend.Entry#replacedBy}). {@link #entriesOf}
 * scans the map: fine for memory; a store with a server would query an index of its own (a
 * database index on a principal column, say) instead.
 */
final class MemoryPrincipalIndex implements PrincipalIndex {

    private final MemorySessionBackend backend;

    MemoryPrincipalIndex(MemorySessionBackend backend) {
        this.backend = backend;
    }

    /** Sets the principal of a live entry; {@code previous} and {@code timeToLive} are not needed, the entry has both. */
    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        backend.requireOpen("assign a principal");
        Instant now = backend.now();
        ENTRIES.computeIfPresent(key, (k, entry) -> entry.liveAt(now)
                ? new MemorySessionBackend.Entry(entry.value(), entry.expiry(), entry.version(), principal) : entry);
    }

    @Override
    public List<ListedEntry> entriesOf(String principal) {
        backend.requireOpen("list the sessions of a principal");
        Objects.requireNonNull(principal, "principal");
        Instant now = backend.now();
        List<ListedEntry> entries = new ArrayList<>();
        for (Map.Entry<String, MemorySessionBackend.Entry> stored : ENTRIES.entrySet()) {
            MemorySessionBackend.Entry entry = stored.getValue();
            if (entry.liveAt(now) && principal.equals(entry.principal())) {
                entries.add(new ListedEntry(stored.getKey(), entry.value().clone(), entry.expiry()));
            }
        }
        return entries;
    }

    @Override
    public boolean keptInEntry() {
        return true;
    }
}
