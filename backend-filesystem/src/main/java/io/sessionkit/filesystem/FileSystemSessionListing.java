package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.StoredHeader;
import io.sessionkit.filesystem.SessionFileDirectory.StoredSession;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code filesystem} store's {@link SessionListing}: a walk over the directory that reads the
 * header of session files ({@link SessionFileFormat}) for their key. Lock files, temporary files,
 * the principal index and anything else in the directory are not session files; files of the
 * previous release, whose key is not written in them, are neither counted nor listed until a save
 * rewrites them.
 *
 * <p>The directory's order is arbitrary, so pages go by file name (the SHA-256 of the key, in
 * hex): each page is one pass over the directory that keeps the {@code limit} smallest names
 * after the cursor (the last name of the page before), never every name. A file present during
 * the whole walk is listed once; one saved or deleted meanwhile may or may not be. A page reads
 * the header of a file only when its name would enter the page, then the whole file of each
 * entry it hands out. None of these reads counts as a use of a session for pruning's order
 * ({@link SessionFileDirectory#readWithoutUse}).
 *
 * <p>Thread-safe; failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemSessionListing implements SessionListing {

    private static final String CURSOR_PREFIX = "fs1:";

    private final SessionFileDirectory directory;
    private final Clock clock;

    FileSystemSessionListing(SessionFileDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One pass over the directory, reading the header and times of every session file.
     */
    @Override
    public long count(String keyPrefix) {
        directory.requireOpen("count sessions");
        Instant now = clock.instant();
        long count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path())) {
            for (Path file : entries) {
                if (SessionFileDirectory.isSessionFileName(file.getFileName().toString())
                        && listable(directory.readWithoutUse(file, () -> SessionFileDirectory.readHeader(file)), keyPrefix, file, now)) {
                    count++;
                }
            }
        } catch (IOException e) {
            throw directory.failure("count sessions", e);
        }
        return count;
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        directory.requireOpen("list sessions");
        if (limit < 1) {
            throw new IllegalArgumentException("the limit of a page must be positive: " + limit);
        }
        String after = hashOf(cursor);
        Instant now = clock.instant();
        // The page's names so far, largest first, so that a smaller one found later replaces it.
        PriorityQueue<String> page = new PriorityQueue<>(Collections.reverseOrder());
        boolean more = false;
        try {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path())) {
                for (Path file : entries) {
                    String name = file.getFileName().toString();
                    if (!SessionFileDirectory.isSessionFileName(name)) {
                        continue;
                    }
                    String hash = name.substring(0, SessionFileDirectory.HASH_LENGTH);
                    if (after != null && hash.compareTo(after) <= 0) {
                        continue;
                    }
                    if (page.size() == limit && hash.compareTo(page.peek()) > 0) {
                        more = true; // beyond this page, whether or not it is listable
                        continue;
                    }
                    if (listable(directory.readWithoutUse(file, () -> SessionFileDirectory.readHeader(file)), keyPrefix, file, now)) {
                        page.add(hash);
                        if (page.size() > limit) {
                            page.poll();
                            more = true;
                        }
                    }
                }
            }
            List<String> hashes = new ArrayList<>(page);
            Collections.sort(hashes);
            List<ListedEntry> listed = new ArrayList<>(hashes.size());
            for (String hash : hashes) {
                Path file = directory.fileOfHash(hash);
                StoredSession stored = directory.readWithoutUse(file, () -> SessionFileDirectory.readSession(file));
                // Saved over or deleted since its header was read: listed as it is now, or not at all.
                if (stored != null && stored.liveAt(now) && listable(stored.key(), keyPrefix, file)) {
                    listed.add(new ListedEntry(stored.key(), stored.value(), stored.expiry()));
                }
            }
            return new ListedPage(listed, more ? CURSOR_PREFIX + hashes.get(hashes.size() - 1) : null);
        } catch (IOException e) {
            throw directory.failure("list sessions", e);
        }
    }

    private boolean listable(StoredHeader header, String keyPrefix, Path file, Instant now) {
        return header != null && header.liveAt(now) && listable(header.key(), keyPrefix, file);
    }

    /** A file of the previous release has no key; one whose header names another file's key was copied there by hand. */
    private boolean listable(String key, String keyPrefix, Path file) {
        return key != null && key.startsWith(keyPrefix) && directory.fileFor(key).equals(file);
    }

    /**
     * @return the last file name hash of the page before, or {@code null} for the first page
     * @throws IllegalArgumentException when {@code cursor} was not made by {@link #list}
     */
    private static String hashOf(String cursor) {
        if (cursor == null) {
            return null;
        }
        String hash = cursor.startsWith(CURSOR_PREFIX) ? cursor.substring(CURSOR_PREFIX.length()) : "";
        if (!SessionFileDirectory.isHash(hash)) {
            throw new IllegalArgumentException("not a cursor of the filesystem backend's listing (fs1: and 64 hex digits,"
                    + " as a page's nextCursor): '" + (cursor.length() <= 80 ? cursor : cursor.substring(0, 80) + "...") + "'");
        }
        return hash;
    }

    @Override
    public String toString() {
        return "FileSystemSessionListing[" + directory.path() + "]";
    }
}
