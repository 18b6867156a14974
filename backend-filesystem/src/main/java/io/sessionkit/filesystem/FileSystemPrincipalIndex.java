package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.StoredHeader;
import io.sessionkit.filesystem.SessionFileDirectory.StoredSession;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code filesystem} store's {@link PrincipalIndex}. The principal is kept in the session
 * file itself, in its header ({@link SessionFileFormat}), so it dies with the file and every write
 * path keeps it ({@link #keptInEntry()} is {@code true}). Beside the files, so that a user's
 * sessions are found without reading every file, the directory {@value SessionFileDirectory#PRINCIPALS}
 * holds a directory per principal (named by the SHA-256 of the principal) with an empty marker
 * file per session that may be that principal's (named by the hash of its session file).
 *
 * <p>The header is the truth; the markers are a superset of it: every live file whose header
 * names a principal has its marker, while a marker may outlive its session (deleted, expired,
 * pruned, given to another user). {@link #entriesOf} reads the session file of each marker and
 * lists it only if its header names the principal and it is live; otherwise it deletes the
 * marker. Every change of a marker, and the check before deleting one, runs while holding the
 * session file's stripe of the {@link DirectoryLockFile}, as every write of the session file does,
 * so the superset holds across threads and processes: {@link #assign} creates the new marker
 * before the header names the principal, and deletes the old one after it no longer does.
 *
 * <p>Thread-safe; failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class FileSystemPrincipalIndex implements PrincipalIndex {

    // How often a marker is tried again: the clean-up may remove its principal's directory, found
    // empty, between its creation and the marker's.
    private static final int DIRECTORY_RACES = 10;

    private final SessionFileDirectory directory;
    private final Clock clock;

    FileSystemPrincipalIndex(SessionFileDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Under the file's lock: reads the session file; if it is live and its header names
     * another principal (or it is a file of the previous release, with no header), rewrites it
     * through a temporary file with the new header, the same value, expiry and last use. The
     * expiry stays the file's own, so {@code timeToLive} and {@code previous} are not needed: the
     * header says which principal it had.
     */
    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        directory.requireOpen("assign a principal");
        Path file = directory.fileFor(key);
        try {
            directory.locked(file, () -> {
                // Giving a session a principal is no use of it: a file never reused keeps that mark,
                // which the kernel takes off on the read below.
                BasicFileAttributes before = SessionFileDirectory.attributes(file);
                StoredSession current = SessionFileDirectory.readSession(file);
                if (current == null || !current.liveAt(clock.instant())) {
                    return null;
                }
                FileTime lastUse = before != null && before.lastAccessTime().equals(SessionFileDirectory.NEVER_REUSED)
                        ? SessionFileDirectory.NEVER_REUSED : current.lastAccess();
                if (principal != null) {
                    mark(principal, file);
                }
                if (!Objects.equals(current.principal(), principal) || current.key() == null) {
                    Path temp = directory.writeSessionTemp(key, principal, current.value(), current.expiry(),
                            current.lifetime(), lastUse);
                    try {
                        SessionFileDirectory.moveOver(temp, file);
                        temp = null;
                    } finally {
                        SessionFileDirectory.deleteQuietly(temp);
                    }
                }
                if (current.principal() != null && !current.principal().equals(principal)) {
                    forget(current.principal(), file);
                }
                return null;
            });
        } catch (IOException e) {
            throw directory.failure("assign a principal", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Lists the principal's directory and reads the session file of each marker; deletes the
     * markers whose session is gone, expired or another principal's.
     */
    @Override
    public List<ListedEntry> entriesOf(String principal) {
        directory.requireOpen("list the sessions of a principal");
        Objects.requireNonNull(principal, "principal");
        Path markers = directory.principalDirectory(principal);
        List<ListedEntry> entries = new ArrayList<>();
        try {
            if (!ownIndexDirectory() || !Files.isDirectory(markers, LinkOption.NOFOLLOW_LINKS)) {
                return entries;
            }
            List<Path> stale = new ArrayList<>();
            try (DirectoryStream<Path> names = Files.newDirectoryStream(markers)) {
                for (Path marker : names) {
                    String hash = marker.getFileName().toString();
                    if (!SessionFileDirectory.isHash(hash)) {
                        continue;
                    }
                    Path file = directory.fileOfHash(hash);
                    StoredSession stored = directory.readWithoutUse(file, () -> SessionFileDirectory.readSession(file));
                    if (belongsTo(stored, principal, file, clock.instant())) {
                        entries.add(new ListedEntry(stored.key(), stored.value(), stored.expiry()));
                    } else {
                        stale.add(file);
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException removedMeanwhile) {
                return entries; // the clean-up removed it as empty, or it is not the store's
            }
            for (Path file : stale) {
                trim(principal, file);
            }
            return entries;
        } catch (IOException e) {
            throw directory.failure("list the sessions of a principal", e);
        }
    }

    @Override
    public boolean keptInEntry() {
        return true;
    }

    /**
     * Deletes the marker of a session file under a principal it no longer belongs to (deleted, or
     * given to another); for a caller that holds the file's lock. Best effort: a marker left
     * behind is trimmed by {@link #entriesOf} or the clean-up.
     */
    void forget(String principal, Path file) {
        if (ownIndexDirectory()) {
            SessionFileDirectory.deleteQuietly(marker(principal, file));
        }
    }

    /**
     * @return whether {@value SessionFileDirectory#PRINCIPALS} is a directory, not a symbolic link
     *         planted under its name: nothing is read or deleted through one
     */
    private boolean ownIndexDirectory() {
        return Files.isDirectory(directory.principals(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Deletes the markers whose session file is gone or expired, and principal directories left
     * empty; for the clean-up. Reads each marker's session file's times only; a marker whose live
     * file was given to another principal is left for {@link #entriesOf} to trim.
     *
     * @return how many markers it deleted
     */
    int deleteStale(Instant now) throws IOException {
        Path principals = directory.principals();
        if (!ownIndexDirectory()) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> principalDirectories = Files.newDirectoryStream(principals)) {
            for (Path markers : principalDirectories) {
                if (!SessionFileDirectory.isHash(markers.getFileName().toString())
                        || !Files.isDirectory(markers, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                deleted += deleteStaleMarkers(markers, now);
                try {
                    Files.deleteIfExists(markers);
                } catch (DirectoryNotEmptyException inUse) {
                    // The principal still has sessions, or one is being given to it right now.
                } catch (IOException retriedNextTime) {
                    // Left for the next pass.
                }
            }
        }
        return deleted;
    }

    private int deleteStaleMarkers(Path markers, Instant now) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> names = Files.newDirectoryStream(markers)) {
            for (Path marker : names) {
                String hash = marker.getFileName().toString();
                if (!SessionFileDirectory.isHash(hash)) {
                    continue;
                }
                Path file = directory.fileOfHash(hash);
                if (SessionFileDirectory.modifiedAfter(file, now)) {
                    continue;
                }
                // Maybe expired: its header may name a lifetime. Look under the lock: an assign may be
                // giving a fresh file to the principal.
                boolean gone = directory.locked(file, () ->
                        !directory.liveWithoutUse(file, now) && SessionFileDirectory.deleteQuietly(marker));
                if (gone) {
                    deleted++;
                }
            }
        } catch (NoSuchFileException removedMeanwhile) {
            // Another process's clean-up removed it as empty.
        }
        return deleted;
    }

    /** Deletes a marker whose session does not belong to the principal, after a second look under the file's lock. */
    private void trim(String principal, Path file) throws IOException {
        directory.locked(file, () -> {
            StoredHeader header = SessionFileDirectory.readHeader(file);
            boolean belongs = header != null && header.liveAt(clock.instant()) && principal.equals(header.principal());
            if (!belongs) {
                forget(principal, file);
            }
            return null;
        });
    }

    private boolean belongsTo(StoredSession stored, String principal, Path file, Instant now) {
        // A header naming a key of another file (a file copied or renamed by hand) is not trusted.
        return stored != null && stored.liveAt(now) && principal.equals(stored.principal()) && stored.key() != null
                && directory.fileFor(stored.key()).equals(file);
    }

    /** Creates the marker of a session file under a principal; for a caller that holds the file's lock. */
    private void mark(String principal, Path file) throws IOException {
        Path markers = directory.principalDirectory(principal);
        Path marker = marker(principal, file);
        for (int attempt = 1; ; attempt++) {
            try {
                directory.createDirectoryIfMissing(directory.principals());
                directory.createDirectoryIfMissing(markers);
                directory.createNew(marker);
                return;
            } catch (FileAlreadyExistsException there) {
                if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                if (attempt == DIRECTORY_RACES) {
                    throw there;
                }
                // Not a marker of the store's own (a link planted under its name): replaced by one.
                Files.deleteIfExists(marker);
            } catch (NoSuchFileException removedAsEmpty) {
                if (attempt == DIRECTORY_RACES) {
                    throw removedAsEmpty;
                }
            }
        }
    }

    private Path marker(String principal, Path file) {
        return directory.principalDirectory(principal).resolve(file.getFileName().toString().substring(0,
                SessionFileDirectory.HASH_LENGTH));
    }

    @Override
    public String toString() {
        return "FileSystemPrincipalIndex[" + directory.path() + "]";
    }
}
