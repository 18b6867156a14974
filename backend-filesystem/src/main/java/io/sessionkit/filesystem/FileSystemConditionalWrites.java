package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.Content;
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
 * first eight bytes of the SHA-256 of its content, computed from the bytes a read returns (no
 * extra file access); a touch only sets the last-modified time, so it keeps the version.
 *
 * <p>{@link #create}, {@link #replace} and {@link #delete} write their new file to a temporary
 * file first, then, holding the session file's stripe of the {@link DirectoryLockFile} (against
 * the threads of this JVM and the other processes on the directory), read the current file,
 * compare, and rename the temporary file over it (or delete it). The blind
 * {@link FileSystemSessionBackend#save save} and {@code delete}, and the clean-up, take the same
 * lock, so no write lands between a check and the write that depends on it. Reads take no lock:
 * renames are atomic, so a reader sees one whole file.
 *
 * <p>It is also the store's {@link ExpiryReportingLoad}: the expiry is the file's last-modified
 * time, which every read fetches with the content anyway.
 *
 * <p>Thread-safe; failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemConditionalWrites implements ConditionalWrites, ExpiryReportingLoad {

    private final SessionFileDirectory directory;
    private final SessionFilePruning pruning;
    private final Clock clock;

    FileSystemConditionalWrites(SessionFileDirectory directory, SessionFilePruning pruning, Clock clock) {
        this.directory = directory;
        this.pruning = pruning;
        this.clock = clock;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        directory.requireOpen("load");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            Content content = SessionFileDirectory.read(file);
            VersionedEntry entry = entry(content, now);
            if (entry != null) {
                SessionFileDirectory.recordUse(file, content, now);
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
            VersionedEntry entry = entry(SessionFileDirectory.read(file), now);
            if (entry != null) {
                // A save that renamed a new file in since the read gets the longer life too: harmless,
                // and its different version makes this request's replace fail and merge.
                SessionFileDirectory.setTimes(file, FileTime.from(now.plus(timeToLive)), FileTime.from(now));
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
        boolean created = writeIf("create", key, value, timeToLive, SessionFileDirectory.NEVER_REUSED, current -> current == null);
        if (created) {
            pruning.created();
        }
        return created;
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        return writeIf("replace", key, value, timeToLive, FileTime.from(clock.instant()),
                current -> current != null && SessionFileDirectory.version(current.content()) == expectedVersion);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        directory.requireOpen("delete");
        Path file = directory.fileFor(key);
        try {
            return directory.locked(file, () -> {
                Content current = live(file);
                return current != null && SessionFileDirectory.version(current.content()) == expectedVersion
                        && Files.deleteIfExists(file);
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
     * Writes {@code value} over the key's file if {@code condition} holds for its live content, with
     * {@code lastUse} as the new file's last-access time.
     */
    private boolean writeIf(String operation, String key, byte[] value, Duration timeToLive, FileTime lastUse,
                            Condition condition) {
        directory.requireOpen(operation);
        Path file = directory.fileFor(key);
        Path temp = null;
        try {
            temp = directory.writeTemp(value, clock.instant().plus(timeToLive), lastUse);
            Path written = temp;
            boolean moved = directory.locked(file, () -> {
                if (!condition.holds(live(file))) {
                    return false;
                }
                SessionFileDirectory.moveOver(written, file);
                return true;
            });
            if (moved) {
                temp = null;
            }
            return moved;
        } catch (IOException e) {
            throw directory.failure(operation, e);
        } finally {
            SessionFileDirectory.deleteQuietly(temp);
        }
    }

    /** @return the file's content when it is there and live, otherwise {@code null} */
    private Content live(Path file) throws IOException {
        Content content = SessionFileDirectory.read(file);
        return content != null && content.liveAt(clock.instant()) ? content : null;
    }

    private static VersionedEntry entry(Content content, Instant now) {
        return content != null && content.liveAt(now)
                ? new VersionedEntry(content.content(), SessionFileDirectory.version(content.content()), content.expiry())
                : null;
    }

    /** A test of the current live content (or {@code null}), made while holding the file's lock. */
    @FunctionalInterface
    private interface Condition {
        boolean holds(Content current);
    }
}
