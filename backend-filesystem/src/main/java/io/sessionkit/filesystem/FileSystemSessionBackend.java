package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;
import io.sessionkit.filesystem.SessionFileDirectory.StoredHeader;
import io.sessionkit.filesystem.SessionFileDirectory.StoredSession;
import io.sessionkit.filesystem.SessionFileDirectory.Verdict;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One file per session in a directory.
 *
 * <ul>
 *   <li>File names are the SHA-256 of the store key in hex, plus {@code .session}: never built
 *       from request input, always inside the directory.</li>
 *   <li>A file starts with a header that names its key and the principal of the session
 *       ({@link SessionFileFormat}), then holds the bytes saved. Files of the previous release,
 *       without a header, still load; the next save writes them with one.</li>
 *   <li>A file's expiry instant is its last-modified time (when it was last written or
 *       touched) plus the time to live its header names, so {@link #touch} is one metadata update
 *       and never rewrites the payload, and a save with the system clock over a live session
 *       leaves the file's times to the kernel. Expiry is checked on every read against
 *       {@link io.sessionkit.core.SessionConfig#clock()}.</li>
 *   <li>A file's last-access time says when the session was last used: the Unix epoch
 *       ({@link SessionFileDirectory#NEVER_REUSED}) from the write that creates a session until a
 *       request uses it again; a read, a touch or a later write sets it to now.</li>
 *   <li>Writes go to a temporary file in the same directory (created with the store's mode)
 *       that is then renamed over the target: readers, in this process or another sharing the
 *       directory, see the old file or the new one, never a partial one. The look at the current
 *       file, the temporary file and the rename (and a delete) happen while holding the file's
 *       lock of the {@link DirectoryLockFile}, as every conditional write, the clean-up and
 *       pruning do, so a blind save never lands between another writer's check and write.</li>
 *   <li>No operation follows a symbolic link: one planted under a session file's name reads as
 *       no session, and saves, deletes and the clean-up replace or remove the link itself.</li>
 *   <li>Beyond {@code SESSION_FILE_THRESHOLD} files, {@link SessionFilePruning} deletes expired
 *       files, then sessions never used since their creation, then the least recently used, down
 *       to 90% of the threshold, so that pruning does not run on every save.</li>
 *   <li>Expired files are also deleted on demand by the {@link ExpiredSessionCleanup}
 *       capability.</li>
 *   <li>{@link ConditionalWrites} (a digest of the value as the version, compare and rename
 *       under the file's lock), {@link SessionLocks} (a lock file per session),
 *       {@link PrincipalIndex} (the principal in the header, markers under {@code .principals})
 *       and {@link SessionListing} (a directory pass per page) are capabilities of their own.
 *       Every write keeps the principal the replaced live file names.</li>
 *   <li>It does not offer {@link io.sessionkit.spi.TouchingLoad}: reading a file and setting its
 *       times are separate system calls (Java sets a file's times by its path, not through the
 *       descriptor the read holds), so the engine reads without extending the life and touches
 *       at the end of a request that did not save, whose save sets the expiry anyway.</li>
 * </ul>
 *
 * <p>Built by {@link FileSystemSessionBackendProvider} once the directory is usable.
 * Thread-safe. Failures are thrown as {@link SessionBackendException}.
 */
public final class FileSystemSessionBackend implements SessionBackend {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSessionBackend.class);

    private final SessionFileDirectory directory;
    private final SessionFilePruning pruning;
    private final FileSystemPrincipalIndex principals;
    private final Clock clock;
    private final Capabilities capabilities;

    /**
     * Takes everything ready; does no I/O.
     *
     * @param directory the session files' directory, which exists and is writable, with its lock
     *                  file open; closed by {@link #close()}
     * @param cleanup   the clean-up capability on that directory
     * @param pruning   what keeps the directory within {@code SESSION_FILE_THRESHOLD}
     * @param principals the principal index on that directory
     * @param clock     {@link io.sessionkit.core.SessionConfig#clock()}
     */
    FileSystemSessionBackend(SessionFileDirectory directory, FileSystemExpiredSessionCleanup cleanup,
                             SessionFilePruning pruning, FileSystemPrincipalIndex principals, Clock clock) {
        this.directory = directory;
        this.pruning = pruning;
        this.principals = principals;
        FileSystemConditionalWrites writes = new FileSystemConditionalWrites(directory, pruning, principals, clock);
        this.capabilities = Capabilities.none()
                .with(ExpiredSessionCleanup.class, cleanup)
                .with(ConditionalWrites.class, writes)
                .with(ExpiryReportingLoad.class, writes)
                .with(SessionLocks.class, new FileSystemSessionLocks(directory, clock))
                .with(PrincipalIndex.class, principals)
                .with(SessionListing.class, new FileSystemSessionListing(directory, clock));
        this.clock = clock;
    }

    @Override
    public byte[] load(String key) {
        directory.requireOpen("load");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            StoredSession stored = SessionFileDirectory.readSessionUnlocked(file, now);
            if (stored == null || !stored.liveAt(now)) {
                return null;
            }
            SessionFileDirectory.recordUse(file, stored.lastAccess(), now);
            return stored.value();
        } catch (IOException e) {
            throw directory.failure("load", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A save where no live session file was creates a session: its file is marked never
     * reused and counted towards {@code SESSION_FILE_THRESHOLD}. A save over a live one is a use,
     * and keeps the principal its header names.
     */
    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        directory.requireOpen("save");
        Path target = directory.fileFor(key);
        boolean created;
        try {
            Instant now = clock.instant();
            Verdict verdict = directory.writeLocked(target, () -> {
                StoredHeader current = SessionFileDirectory.readHeader(target);
                return Verdict.replacing(current != null && current.liveAt(now) ? current : null);
            }, found -> found.live() ? directory.writeSessionTempUsedNow(key, found.principal(), value, now, timeToLive)
                    : directory.writeSessionTemp(key, found.principal(), value, now.plus(timeToLive), timeToLive,
                    SessionFileDirectory.NEVER_REUSED));
            created = !verdict.live();
        } catch (IOException e) {
            throw directory.failure("save", e);
        }
        if (created) {
            pruning.created();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the file's header, for the lifetime it names, and sets the file's times.
     */
    @Override
    public void touch(String key, Duration timeToLive) {
        directory.requireOpen("touch");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            StoredHeader header = SessionFileDirectory.readHeader(file);
            // An expired file is as good as absent: touching it must not bring it back. A symbolic
            // link has no expiry: nothing is set through it.
            if (header != null && header.liveAt(now)) {
                SessionFileDirectory.setTimes(file, SessionFileDirectory.modifiedFor(now.plus(timeToLive), header.lifetime()),
                        FileTime.from(now));
            }
        } catch (NoSuchFileException absent) {
            // Nothing to keep alive.
        } catch (IOException e) {
            throw directory.failure("touch", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the file's header first, under the file's lock, to take the session out of its
     * principal's index.
     */
    @Override
    public void delete(String key) {
        directory.requireOpen("delete");
        Path file = directory.fileFor(key);
        try {
            directory.locked(file, () -> {
                StoredHeader header = SessionFileDirectory.readHeader(file);
                // Removes a symbolic link planted there too, never what it points to.
                boolean deleted = Files.deleteIfExists(file);
                if (deleted && header != null && header.principal() != null) {
                    principals.forget(header.principal(), file);
                }
                return deleted;
            });
        } catch (IOException e) {
            throw directory.failure("delete", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The store has {@link ExpiredSessionCleanup}, {@link ConditionalWrites},
     * {@link ExpiryReportingLoad}, {@link SessionLocks}, {@link PrincipalIndex} and
     * {@link SessionListing}.
     */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    /**
     * Refuses every further operation, and gives up this store's share of the directory's lock
     * file, which the last store of the JVM on the directory closes. Idempotent.
     */
    @Override
    public void close() {
        try {
            directory.close();
        } catch (IOException e) {
            LOG.warn("closing the lock file of session directory {} failed: {}", directory.path(), e.getMessage(), e);
        }
    }

    /**
     * Deletes expired session files, then, while more than 90% of {@code SESSION_FILE_THRESHOLD}
     * remain, sessions never used since the write that created them (earliest expiry first), then
     * the others by last use (longest ago first). Runs on its own when the sessions this store
     * created pass the threshold; callable from a scheduler too. Safe against other processes
     * pruning the same directory.
     *
     * @return how many session files remain
     */
    public int prune() {
        return pruning.prune();
    }

    /** @return the directory the session files live in */
    public Path directory() {
        return directory.path();
    }

    Path fileFor(String key) {
        return directory.fileFor(key);
    }
}
