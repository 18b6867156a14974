package io.sessionkit.filesystem;

import io.sessionkit.spi.SessionLocks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code filesystem} store's {@link SessionLocks}: a lock file beside the session file
 * ({@code <hash>.lock}) holding the holder's token and the end of its lease (epoch milliseconds
 * by {@link io.sessionkit.core.SessionConfig#clock()}).
 *
 * <p>Every step runs while holding the session's stripe of the {@link DirectoryLockFile}, against
 * the other threads and processes on the directory. {@link #tryLock} creates the lock file with
 * {@code CREATE_NEW}; when one is there, it reads it, and takes the lock over only if the lease
 * has ended (or the file cannot be parsed: a holder that crashed while writing it), by renaming a
 * new lock file over it. Of two takers finding the same lapsed lock, the second to get the
 * stripe finds the first one's lease and is refused. {@link #unlock} deletes the
 * file only if it still holds the caller's token. The clean-up deletes lock files whose lease has
 * ended.
 *
 * <p>Thread-safe; failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemSessionLocks implements SessionLocks {

    private final SessionFileDirectory directory;
    private final Clock clock;

    FileSystemSessionLocks(SessionFileDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        directory.requireOpen("lock");
        Path lockFile = directory.lockFileFor(key);
        try {
            return directory.locked(lockFile, () -> {
                long now = clock.millis();
                byte[] holder = (token + "\n" + (now + lease.toMillis()) + "\n").getBytes(StandardCharsets.UTF_8);
                try {
                    directory.createNew(lockFile, holder);
                    return true;
                } catch (FileAlreadyExistsException held) {
                    Holder current = read(lockFile);
                    if (current != null && current.leaseEnd() > now) {
                        return false;
                    }
                    takeOver(lockFile, holder);
                    return true;
                }
            });
        } catch (IOException e) {
            throw directory.failure("lock", e);
        }
    }

    @Override
    public void unlock(String key, String token) {
        directory.requireOpen("unlock");
        Path lockFile = directory.lockFileFor(key);
        try {
            directory.locked(lockFile, () -> {
                Holder current = read(lockFile);
                return current != null && current.token().equals(token) && Files.deleteIfExists(lockFile);
            });
        } catch (IOException e) {
            throw directory.failure("unlock", e);
        }
    }

    /**
     * Deletes a lock file whose lease ended by {@code nowMillis}; for the clean-up.
     *
     * @return whether it was deleted
     */
    static boolean deleteIfLapsed(SessionFileDirectory directory, Path lockFile, long nowMillis) throws IOException {
        return directory.locked(lockFile, () -> {
            Holder current = read(lockFile);
            return current != null && current.leaseEnd() <= nowMillis && Files.deleteIfExists(lockFile);
        });
    }

    @Override
    public String toString() {
        return "FileSystemSessionLocks[" + directory.path() + "]";
    }

    /** Replaces a lapsed lock file in one rename, so that it is never seen half written. */
    private void takeOver(Path lockFile, byte[] holder) throws IOException {
        Path temp = directory.writeTemp(holder, clock.instant(), FileTime.from(clock.instant()));
        try {
            SessionFileDirectory.moveOver(temp, lockFile);
            temp = null;
        } finally {
            SessionFileDirectory.deleteQuietly(temp);
        }
    }

    /**
     * The holder a lock file names.
     *
     * @param token    the holder's token
     * @param leaseEnd when its lease ends, epoch milliseconds; {@link Long#MIN_VALUE} when the
     *                 file could not be parsed (a holder crashed while writing it)
     */
    private record Holder(String token, long leaseEnd) {
    }

    /**
     * @return the lock file's holder, or {@code null} when there is no lock file (a symbolic link
     *         planted under its name counts as none: it is not followed, and a taker renames a
     *         lock file over it)
     */
    private static Holder read(Path lockFile) throws IOException {
        SessionFileDirectory.Content content = SessionFileDirectory.read(lockFile);
        if (content == null) {
            return null;
        }
        String text = new String(content.content(), StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        try {
            return lines.length >= 2 ? new Holder(lines[0], Long.parseLong(lines[1].strip())) : new Holder("", Long.MIN_VALUE);
        } catch (NumberFormatException torn) {
            return new Holder(lines[0], Long.MIN_VALUE);
        }
    }
}
