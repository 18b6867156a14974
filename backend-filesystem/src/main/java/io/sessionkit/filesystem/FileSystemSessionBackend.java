package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;
import io.sessionkit.filesystem.SessionFileDirectory.SessionFile;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 *       the new one, never a partial one.</li>
 *   <li>Beyond {@code SESSION_FILE_THRESHOLD} files, a save prunes expired files, then the
 *       least recently used (earliest expiry), down to 90% of the threshold so that pruning does
 *       not run on every save.</li>
 *   <li>Expired files are also deleted on demand by the {@link ExpiredSessionCleanup}
 *       capability.</li>
 * </ul>
 *
 * <p>Built by {@link FileSystemSessionBackendProvider} once the directory is usable.
 * Thread-safe. Failures are thrown as {@link SessionBackendException}.
 */
public final class FileSystemSessionBackend implements SessionBackend {

    private final SessionFileDirectory directory;
    private final FileSystemExpiredSessionCleanup cleanup;
    private final int threshold;
    private final Set<PosixFilePermission> permissions;
    private final Clock clock;
    private final AtomicInteger fileCountUpperBound;
    private final ReentrantLock pruning = new ReentrantLock();

    /**
     * Takes everything ready; does no I/O.
     *
     * @param settings     the threshold and file mode
     * @param directory    the session files' directory, which exists and is writable
     * @param cleanup      the clean-up capability on that directory
     * @param filesAtStart how many session files the directory held when it was prepared
     * @param clock        {@link io.sessionkit.core.SessionConfig#clock()}
     */
    FileSystemSessionBackend(FileSystemSettings settings, SessionFileDirectory directory,
                             FileSystemExpiredSessionCleanup cleanup, int filesAtStart, Clock clock) {
        this.directory = directory;
        this.cleanup = cleanup;
        this.threshold = settings.threshold();
        this.clock = clock;
        this.permissions = directory.posix() ? PosixFilePermissions.fromString(rwx(settings.mode())) : null;
        this.fileCountUpperBound = new AtomicInteger(filesAtStart);
    }

    @Override
    public byte[] load(String key) {
        directory.requireOpen("load");
        Path file = directory.fileFor(key);
        try {
            // Content first, then expiry: a save racing in between makes us return the older,
            // still valid content rather than wrongly call the new one expired.
            byte[] data = Files.readAllBytes(file);
            Instant expiry = Files.getLastModifiedTime(file).toInstant();
            return expiry.isAfter(clock.instant()) ? data : null;
        } catch (NoSuchFileException absent) {
            return null;
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
            temp = directory.newTempFile();
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.write(temp, value);
            Files.setLastModifiedTime(temp, FileTime.from(clock.instant().plus(timeToLive)));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
        try {
            Files.deleteIfExists(directory.fileFor(key));
        } catch (IOException e) {
            throw directory.failure("delete", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The store has {@link ExpiredSessionCleanup}.
     */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        if (type == ExpiredSessionCleanup.class) {
            return Optional.of(type.cast(cleanup));
        }
        return SessionBackend.super.capability(type);
    }

    @Override
    public void close() {
        // Files need no releasing, but a closed store must refuse work as every other store does.
        directory.close();
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
                    SessionFileDirectory.deleteQuietly(file.path());
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

    /** @return the directory the session files live in */
    public Path directory() {
        return directory.path();
    }

    Path fileFor(String key) {
        return directory.fileFor(key);
    }

    private static String rwx(int mode) {
        StringBuilder text = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }
}
