package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.SessionFile;
import io.sessionkit.spi.ExpiredSessionCleanup;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code filesystem} store's {@link ExpiredSessionCleanup}: deletes the session files whose
 * expiry (their last-modified time plus the lifetime their header names) has passed by
 * {@link io.sessionkit.core.SessionConfig#clock()},
 * lock files whose lease has ended, temporary files a crashed writer left, and symbolic links
 * planted under any of those names (the links, never what they point to), and the markers of the
 * {@link FileSystemPrincipalIndex} whose session is gone or expired. Each file is
 * checked and deleted while holding its lock of the {@link DirectoryLockFile}, which saves take
 * too, so a save that renames a fresh file over an expired one is never deleted with it. Live
 * files are never touched. A file that cannot be deleted is left for the next pass.
 *
 * <p>A file whose last-modified time is later than now is live whatever its lifetime, and is
 * judged from the directory listing alone; only the others have their header read, under the
 * lock. That read is no use of the session: where it changed the file's last-access time, the
 * time it had is put back.
 *
 * <p>Thread-safe, and safe while other processes use or clean the same directory. Failing to
 * list the directory is thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemExpiredSessionCleanup implements ExpiredSessionCleanup {

    private final SessionFileDirectory directory;
    private final FileSystemPrincipalIndex principals;
    private final Clock clock;

    FileSystemExpiredSessionCleanup(SessionFileDirectory directory, FileSystemPrincipalIndex principals, Clock clock) {
        this.directory = directory;
        this.principals = principals;
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
     * Deletes the files expired at {@code now}, lock files whose lease ended, planted symbolic
     * links and the principal index's markers of sessions that are gone or expired, and collects
     * the live session files; pruning starts from those.
     *
     * @param now  the instant expiry is judged against
     * @param live receives the session files still live at {@code now}
     * @return how many expired session files this call deleted
     * @throws IOException when the directory cannot be listed
     */
    int deleteExpired(Instant now, List<SessionFile> live) throws IOException {
        SessionFileDirectory.Listing listing = directory.list();
        int deleted = 0;
        for (SessionFile listed : listing.sessions()) {
            if (listed.modified().isAfter(now)) {
                live.add(listed);
                continue;
            }
            // Maybe expired: its header may name a lifetime. A save may rename a fresh file over it at
            // any moment: look, and delete, while holding the file's lock, which every save takes too.
            SecondLook look = deleteIfExpired(listed.path(), now);
            if (look.deleted()) {
                deleted++;
            } else if (look.live() != null) {
                live.add(look.live());
            }
        }
        for (Path link : listing.links()) {
            directory.deleteLink(link);
        }
        for (Path lockFile : listing.lockFiles()) {
            try {
                FileSystemSessionLocks.deleteIfLapsed(directory, lockFile, now.toEpochMilli());
            } catch (IOException unreadable) {
                // Left for the next pass, like a session file that cannot be deleted.
            }
        }
        principals.deleteStale(now);
        return deleted;
    }

    /**
     * What a second look at a file that was listed as expired found.
     *
     * @param deleted this call deleted it
     * @param live    a save made it live again: the file as it is now; {@code null} when it is
     *                gone or was deleted or could not be
     */
    private record SecondLook(boolean deleted, SessionFile live) {
    }

    private SecondLook deleteIfExpired(Path file, Instant now) {
        try {
            return directory.locked(file, () -> {
                BasicFileAttributes attributes = SessionFileDirectory.attributes(file);
                if (attributes == null || !attributes.isRegularFile()) {
                    return new SecondLook(false, null);
                }
                // A header this release cannot read names no lifetime: the last-modified time decides.
                if (directory.liveWithoutUse(file, now)) {
                    return new SecondLook(false, SessionFile.of(file, attributes));
                }
                return new SecondLook(SessionFileDirectory.deleteQuietly(file), null);
            });
        } catch (IOException unreadable) {
            return new SecondLook(false, null);
        }
    }
}
