package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;
import io.sessionkit.filesystem.SessionFileDirectory.Content;
import io.sessionkit.filesystem.SessionFileDirectory.SessionFile;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One file per session in a directory.
 *
 * <ul>
 *   <li>File names are the SHA-256 of the store key in hex, plus {@code .session}: never built
 *       from request input, always inside the directory.</li>
 *   <li>A file's last-modified time is its expiry instant, so {@link #touch} is one metadata
 *       update and never rewrites the payload. Expiry is checked on every read against
 *       {@link io.sessionkit.core.SessionConfig#clock()}.</li>
 *   <li>Writes go to a temporary file in the same directory that is then renamed over the
 *       target: readers, in this process or another sharing the directory, see the old file or
 *       the new one, never a partial one. The rename (and a delete) happens while holding the
 *       file's lock of the {@link DirectoryLockFile}, as every conditional write, the clean-up
 *       and pruning do, so a blind save never lands between another writer's check and
 *       write.</li>
 *   <li>Beyond {@code SESSION_FILE_THRESHOLD} files, a save prunes expired files, then the
 *       least recently used (earliest expiry), down to 90% of the threshold so that pruning does
 *       not run on every save.</li>
 *   <li>Expired files are also deleted on demand by the {@link ExpiredSessionCleanup}
 *       capability.</li>
 *   <li>{@link ConditionalWrites} (a digest of the content as the version, compare and rename
 *       under the file's lock) and {@link SessionLocks} (a lock file per session) are
 *       capabilities of their own.</li>
 * </ul>
 *
 * <p>Built by {@link FileSystemSessionBackendProvider} once the directory is usable.
 * Thread-safe. Failures are thrown as {@link SessionBackendException}.
 */
public final class FileSystemSessionBackend implements SessionBackend, TouchingLoad {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSessionBackend.class);

    private final SessionFileDirectory directory;
    private final FileSystemExpiredSessionCleanup cleanup;
    private final int threshold;
    private final Clock clock;
    private final AtomicInteger fileCountUpperBound;
    private final Capabilities capabilities;
    private final ReentrantLock pruning = new ReentrantLock();

    /**
     * Takes everything ready; does no I/O.
     *
     * @param threshold    {@code SESSION_FILE_THRESHOLD}
     * @param directory    the session files' directory, which exists and is writable, with its
     *                     lock file open; closed by {@link #close()}
     * @param cleanup      the clean-up capability on that directory
     * @param filesAtStart how many session files the directory held when it was prepared
     * @param clock        {@link io.sessionkit.core.SessionConfig#clock()}
     */
    FileSystemSessionBackend(int threshold, SessionFileDirectory directory, FileSystemExpiredSessionCleanup cleanup,
                             int filesAtStart, Clock clock) {
        this.directory = directory;
        this.cleanup = cleanup;
        this.capabilities = Capabilities.none()
                .with(ExpiredSessionCleanup.class, cleanup)
                .with(ConditionalWrites.class, new FileSystemConditionalWrites(directory, clock))
                .with(SessionLocks.class, new FileSystemSessionLocks(directory, clock));
        this.threshold = threshold;
        this.clock = clock;
        this.fileCountUpperBound = new AtomicInteger(filesAtStart);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the file and sets its modification time, which is its expiry: no lock is taken.
     */
    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        VersionedEntry entry = capabilities.find(ConditionalWrites.class).orElseThrow().loadVersionedAndTouch(key, timeToLive);
        return entry == null ? null : entry.value();
    }

    @Override
    public byte[] load(String key) {
        directory.requireOpen("load");
        try {
            Content content = SessionFileDirectory.read(directory.fileFor(key));
            return content != null && content.liveAt(clock.instant()) ? content.content() : null;
        } catch (IOException e) {
            throw directory.failure("load", e);
        }
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        directory.requireOpen("save");
        Path target = directory.fileFor(key);
        Path temp = null;
        try {
            temp = directory.writeTemp(value, clock.instant().plus(timeToLive));
            Path written = temp;
            directory.locked(target, () -> {
                SessionFileDirectory.moveOver(written, target);
                return null;
            });
            temp = null;
        } catch (IOException e) {
            throw directory.failure("save", e);
        } finally {
            SessionFileDirectory.deleteQuietly(temp);
        }
        if (fileCountUpperBound.incrementAndGet() > threshold) {
            prune();
        }
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        directory.requireOpen("touch");
        Path file = directory.fileFor(key);
        try {
            Instant now = clock.instant();
            // An expired file is as good as absent: touching it must not bring it back.
            if (Files.getLastModifiedTime(file).toInstant().isAfter(now)) {
                Files.setLastModifiedTime(file, FileTime.from(now.plus(timeToLive)));
            }
        } catch (NoSuchFileException absent) {
            // Nothing to keep alive.
        } catch (IOException e) {
            throw directory.failure("touch", e);
        }
    }

    @Override
    public void delete(String key) {
        directory.requireOpen("delete");
        Path file = directory.fileFor(key);
        try {
            directory.locked(file, () -> Files.deleteIfExists(file));
        } catch (IOException e) {
            throw directory.failure("delete", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The store has {@link ExpiredSessionCleanup}, {@link ConditionalWrites} and
     * {@link SessionLocks}.
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
     * Deletes expired session files, then the least recently used ones while more than 90% of
     * {@code SESSION_FILE_THRESHOLD} remain. Runs on its own when a save crosses the threshold;
     * callable from a scheduler too. Safe against other processes pruning the same directory.
     *
     * @return how many session files remain
     */
    public int prune() {
        if (!pruning.tryLock()) {
            return fileCountUpperBound.get();
        }
        try {
            List<SessionFile> live = new ArrayList<>();
            cleanup.deleteExpired(clock.instant(), live);
            int target = Math.max(1, threshold - threshold / 10);
            if (live.size() > target) {
                live.sort(Comparator.comparing(SessionFile::expiry));
                for (SessionFile file : live.subList(0, live.size() - target)) {
                    evict(file);
                }
                live = live.subList(live.size() - target, live.size());
            }
            fileCountUpperBound.set(live.size());
            return live.size();
        } catch (IOException e) {
            throw directory.failure("prune", e);
        } finally {
            pruning.unlock();
        }
    }

    /** Deletes a least recently used file, unless a save or touch has changed it since it was listed. */
    private void evict(SessionFile file) throws IOException {
        directory.locked(file.path(), () -> {
            if (file.expiry().equals(SessionFileDirectory.expiry(file.path()))) {
                SessionFileDirectory.deleteQuietly(file.path());
            }
            return null;
        });
    }

    /** @return the directory the session files live in */
    public Path directory() {
        return directory.path();
    }

    Path fileFor(String key) {
        return directory.fileFor(key);
    }
}
