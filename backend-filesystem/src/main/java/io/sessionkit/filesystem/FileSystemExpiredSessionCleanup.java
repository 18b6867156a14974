package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.SessionFile;
import io.sessionkit.spi.ExpiredSessionCleanup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code filesystem} store's {@link ExpiredSessionCleanup}: deletes the session files whose
 * expiry (their last-modified time) has passed by {@link io.sessionkit.core.SessionConfig#clock()},
 * and temporary files a crashed writer left. Live files are never touched. A file that cannot
 * be deleted is left for the next pass.
 *
 * <p>Thread-safe, and safe while other processes use or clean the same directory. Failing to
 * list the directory is thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemExpiredSessionCleanup implements ExpiredSessionCleanup {

    private final SessionFileDirectory directory;
    private final Clock clock;

    FileSystemExpiredSessionCleanup(SessionFileDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public int deleteExpired() {
        directory.requireOpen("delete expired sessions");
        try {
            return deleteExpired(clock.instant(), new ArrayList<>());
        } catch (IOException e) {
            throw directory.failure("delete expired sessions", e);
        }
    }

    /**
     * Deletes the files expired at {@code now} and collects the others; pruning starts from
     * those.
     *
     * @param now  the instant expiry is judged against
     * @param live receives the session files still live at {@code now}
     * @return how many expired files this call deleted
     * @throws IOException when the directory cannot be listed
     */
    int deleteExpired(Instant now, List<SessionFile> live) throws IOException {
        int deleted = 0;
        for (SessionFile listed : directory.list()) {
            SessionFile file = listed;
            if (!file.expiry().isAfter(now)) {
                // A save may have renamed a fresh file over the expired one since the listing:
                // look again right before deleting.
                Instant expiry = currentExpiry(file.path());
                if (expiry == null) {
                    continue;
                }
                if (!expiry.isAfter(now)) {
                    if (SessionFileDirectory.deleteQuietly(file.path())) {
                        deleted++;
                    }
                    continue;
                }
                file = new SessionFile(file.path(), expiry);
            }
            live.add(file);
        }
        return deleted;
    }

    /** @return the file's expiry, or {@code null} when it is gone or unreadable */
    private static Instant currentExpiry(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException goneOrUnreadable) {
            return null;
        }
    }
}
