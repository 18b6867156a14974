package com.example.sessions.memory;

import io.sessionkit.spi.KeyCursor;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import static com.example.sessions.memory.MemorySessionBackend.ENTRIES;

/**
 * Counting and listing the live entries of a prefix. A map's iteration order changes as it
 * grows, so pages go by key: each page is one pass over the map keeping the {@code limit}
 * smallest keys after the cursor (a {@link KeyCursor} after the last key of the page before), never every
 * key. Lock entries live in a map of their own ({@link MemorySessionLocks}) and the principal in
 * the entries, so everything in {@link MemorySessionBackend#ENTRIES} is a session.
 */
final class MemorySessionListing implements SessionListing {

    private static final KeyCursor CURSORS = new KeyCursor("memory1.", "memory");

    private final MemorySessionBackend backend;

    MemorySessionListing(MemorySessionBackend backend) {
        this.backend = backend;
    }

    @Override
    public long count(String keyPrefix) {
        backend.requireOpen("count sessions");
        Instant now = backend.now();
        return ENTRIES.entrySet().stream()
                .filter(stored -> stored.getKey().startsWith(keyPrefix) && stored.getValue().liveAt(now))
                .count();
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        backend.requireOpen("list sessions");
        String after = cursor == null ? null : CURSORS.lastKey(cursor, keyPrefix);
        Instant now = backend.now();
        // The page's keys so far, largest first, so that a smaller one found later replaces it.
        PriorityQueue<String> page = new PriorityQueue<>(Collections.reverseOrder());
        boolean more = false;
        for (Map.Entry<String, MemorySessionBackend.Entry> stored : ENTRIES.entrySet()) {
            String key = stored.getKey();
            if (key.startsWith(keyPrefix) && stored.getValue().liveAt(now) && (after == null || key.compareTo(after) > 0)) {
                page.add(key);
                if (page.size() > limit) {
                    page.poll();
                    more = true;
                }
            }
        }
        List<String> keys = new ArrayList<>(page);
        Collections.sort(keys);
        List<ListedEntry> entries = new ArrayList<>(keys.size());
        for (String key : keys) {
            MemorySessionBackend.Entry entry = ENTRIES.get(key);
            if (entry != null && entry.liveAt(now)) { // deleted or expired since the pass: left out
                entries.add(new ListedEntry(key, entry.value().clone(), entry.expiry()));
            }
        }
        String next = more ? CURSORS.after(keyPrefix, keys.get(keys.size() - 1)) : null;
        return new ListedPage(entries, next);
    }
}
