package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.StoredHeader;
import io.sessionkit.filesystem.SessionFileDirectory.StoredSession;
import io.sessionkit.filesystem.SessionFileDirectory.Verdict;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code filesystem} store's {@link ConditionalWrites}. The version of a session file is the
 * first eight bytes of the SHA-256 of its value (the bytes after the header), computed from the
 * bytes a read returns (no extra file access); a touch only sets the last-modified time, and a
 * change of principal only the header, so both keep the version.
 *
 * <p>{@link #create}, {@link #replace} and {@link #delete}, holding the session file's stripe of
 * the {@link DirectoryLockFile} (against the threads of this JVM and the other processes on the
 * directory), read the current file, compare, and write the new file to a temporary file that
 * they rename over it (or delete it). The new file keeps the principal of the one it replaces,
 * read under the same lock. The blind
 * {@link FileSystemSessionBackend#save save} and {@code delete}, and the clean-up, take the same
 * lock, so no write lands between a check and the write that depends on it. Reads take no lock:
 * renames are atomic, so a reader sees one whole file.
 *
 * <p>It is also the store's {@link ExpiryReportingLoad}: the expiry is the file's last-modified
 * time, which every read fetches with the content anyway, plus the lifetime its header names.
 *
 * <p>Thread-safe; failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemConditionalWrites implements ConditionalWrites, ExpiryReportingLoad {

    private final SessionFileDirectory directory;
    private final SessionFilePruning pruning;
    private final FileSystemPrincipalIndex principals;
    private final Clock clock;

    FileSystemConditionalWrites(SessionFileDirectory directory, SessionFilePruning pruning,
                                FileSystemPrincipalIndex principals, Clock clock) {
        this.directory = directory;
        this.pruning = pruning;
        this.principals = principals;
        this.clock = clock;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        directory.requireOpen("load");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            StoredSession stored = SessionFileDirectory.readSessionUnlocked(file, now);
            VersionedEntry entry = entry(stored, now);
            if (entry != null) {
                SessionFileDirectory.recordUse(file, stored.lastAccess(), now);
            }
            return entry;
        } catch (IOException e) {
            throw directory.failure("load", e);
        }
    }

    /**
     * The read of {@link #loadVersioned}: a file's last-modified time is its expiry, read with
     * its content.
     */
    @Override
    public VersionedEntry loadWithExpiry(String key) {
        return loadVersioned(key);
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        directory.requireOpen("load and touch");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            StoredSession stored = SessionFileDirectory.readSessionUnlocked(file, now);
            VersionedEntry entry = entry(stored, now);
            if (entry != null) {
                // A save that renamed a new file in since the read gets the time set for the file read:
                // its own lifetime, counted from about now. Harmless: its different version makes this
                // request's replace fail and merge, and that save's expiry is about the same.
                SessionFileDirectory.setTimes(file, SessionFileDirectory.modifiedFor(now.plus(timeToLive),
                        stored.lifetime()), FileTime.from(now));
            }
            return entry;
        } catch (NoSuchFileException deletedSinceTheRead) {
            return null;
        } catch (IOException e) {
            throw directory.failure("load and touch", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The new file is marked never reused (its last-access time is
     * {@link SessionFileDirectory#NEVER_REUSED}) and counted towards
     * {@code SESSION_FILE_THRESHOLD}.
     */
    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        directory.requireOpen("create");
        Path file = directory.fileFor(key);
        Instant now = clock.instant();
        // A new session never has a principal, whatever an expired file under its key had.
        boolean created = writeIf("create", key, value, now.plus(timeToLive), timeToLive, SessionFileDirectory.NEVER_REUSED,
                () -> {
                    StoredHeader current = SessionFileDirectory.readHeader(file);
                    return current != null && current.liveAt(clock.instant()) ? Verdict.REFUSED : Verdict.replacing(null);
                });
        if (created) {
            pruning.created();
        }
        return created;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The new file keeps the principal the current one names.
     */
    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        directory.requireOpen("replace");
        Path file = directory.fileFor(key);
        Instant now = clock.instant();
        try {
            return directory.writeLocked(file, () -> {
                StoredSession current = live(file);
                return current != null && SessionFileDirectory.version(current.value()) == expectedVersion
                        ? new Verdict(true, current.principal(), true) : Verdict.REFUSED;
            }, found -> directory.writeSessionTempUsedNow(key, found.principal(), value, now, timeToLive)).move();
        } catch (IOException e) {
            throw directory.failure("replace", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A deleted session leaves its principal's index too.
     */
    @Override
    public boolean delete(String key, long expectedVersion) {
        directory.requireOpen("delete");
        Path file = directory.fileFor(key);
        try {
            return directory.locked(file, () -> {
                StoredSession current = live(file);
                if (current == null || SessionFileDirectory.version(current.value()) != expectedVersion
                        || !Files.deleteIfExists(file)) {
                    return false;
                }
                if (current.principal() != null) {
                    principals.forget(current.principal(), file);
                }
                return true;
            });
        } catch (IOException e) {
            throw directory.failure("delete", e);
        }
    }

    @Override
    public String toString() {
        return "FileSystemConditionalWrites[" + directory.path() + "]";
    }

    /**
     * Writes {@code value} over the key's file, expiring at {@code expiry}, if {@code inspection}
     * allows it, with {@code lastUse} as the new file's last-access time.
     */
    private boolean writeIf(String operation, String key, byte[] value, Instant expiry, Duration lifetime, FileTime lastUse,
                            SessionFileDirectory.Inspection inspection) {
        try {
            return directory.writeLocked(directory.fileFor(key), inspection,
                    found -> directory.writeSessionTemp(key, found.principal(), value, expiry, lifetime, lastUse)).move();
        } catch (IOException e) {
            throw directory.failure(operation, e);
        }
    }

    /** @return the file's session when it is there and live, otherwise {@code null} */
    private StoredSession live(Path file) throws IOException {
        StoredSession stored = SessionFileDirectory.readSession(file);
        return stored != null && stored.liveAt(clock.instant()) ? stored : null;
    }

    private static VersionedEntry entry(StoredSession stored, Instant now) {
        return stored != null && stored.liveAt(now)
                ? new VersionedEntry(stored.value(), SessionFileDirectory.version(stored.value()), stored.expiry())
                : null;
    }
}
