package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The directory of session files as the store and its capabilities see it: which file holds a
 * key (and which file holds its lock), which files are session files, when each expires (its
 * last-modified time) and when it was last used (its last-access time, {@link #NEVER_REUSED} until
 * the session is used after the write that created it), how a file is written (a temporary file
 * renamed over it) and read with its version, the {@link DirectoryLockFile} that makes a check and
 * a write one step, and how a failure is reported.
 *
 * <p>No operation follows a symbolic link: files are opened with {@link LinkOption#NOFOLLOW_LINKS}
 * (temporary files are created with {@code CREATE_NEW}, which does not follow one either), times
 * and modes are set on the link itself if one was planted meanwhile, and a link under a name the
 * store uses reads as no file. Renames and deletes act on the link, never on what it points to.
 *
 * <p>Thread-safe; other processes may use the same directory at once.
 */
final class SessionFileDirectory implements AutoCloseable {

    static final String SUFFIX = ".session";
    static final String LOCK_SUFFIX = ".lock";
    static final String TEMP_PREFIX = ".tmp-";
    private static final int HASH_LENGTH = 64;
    // A temporary file this old was left by a crashed writer.
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofHours(1);
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(SessionFileDirectory::newSha256);
    private static final SecureRandom TEMP_NAMES = new SecureRandom();
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /**
     * The last-access time of a session file that no request has used since the write that
     * created it: the Unix epoch, a time no read sets. A read sets the current time (the kernel
     * does, or the store when the file system keeps no access times), as do a touch and every
     * later write.
     */
    static final FileTime NEVER_REUSED = FileTime.fromMillis(0);

    /** How stale a recorded last use may be before a read that does not touch the file renews it. */
    static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    private final Path path;
    private final Set<PosixFilePermission> permissions;
    private final DirectoryLockFile lockFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param path        the directory, absolute, which exists and is writable
     * @param permissions what new files get, or {@code null} where the file system has no POSIX
     *                    permissions
     * @param lockFile    the directory's lock file, closed by {@link #close()}
     */
    SessionFileDirectory(Path path, Set<PosixFilePermission> permissions, DirectoryLockFile lockFile) {
        this.path = path;
        this.permissions = permissions;
        this.lockFile = lockFile;
    }

    Path path() {
        return path;
    }

    /**
     * @return whether the file system of {@code path} has POSIX permissions
     */
    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * @return the file of a store key: the SHA-256 of the key in hex, so never built from
     *         request input and always inside the directory
     */
    Path fileFor(String key) {
        byte[] hash = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return path.resolve(HexFormat.of().formatHex(hash) + SUFFIX);
    }

    /**
     * @return the file that holds the session lock of a key, beside its session file
     */
    Path lockFileFor(String key) {
        String sessionFile = fileFor(key).getFileName().toString();
        return path.resolve(sessionFile.substring(0, HASH_LENGTH) + LOCK_SUFFIX);
    }

    /**
     * The version of a session file's content, as {@link io.sessionkit.spi.ConditionalWrites}
     * hands it out: the first eight bytes of its SHA-256. It changes whenever the bytes do, and a
     * touch (which sets only the last-modified time) leaves it alone.
     */
    static long version(byte[] content) {
        return ByteBuffer.wrap(SHA_256.get().digest(content)).getLong();
    }

    /**
     * Runs {@code work} while holding the lock of {@code file} against the other threads and
     * processes using the directory.
     */
    <T> T locked(Path file, DirectoryLockFile.Work<T> work) throws IOException {
        return lockFile.locked(file, work);
    }

    /**
     * Writes a new temporary file with the store's permissions, {@code content}, {@code expiry} as
     * its last-modified time and {@code lastUse} as its last-access time, ready for
     * {@link #moveOver}. The caller deletes it if it is not moved.
     *
     * @param lastUse {@link #NEVER_REUSED} for a file that creates a session, otherwise now
     * @return the temporary file
     */
    Path writeTemp(byte[] content, Instant expiry, FileTime lastUse) throws IOException {
        while (true) {
            Path temp = path.resolve(TEMP_PREFIX + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36));
            try {
                createNew(temp, content);
            } catch (FileAlreadyExistsException taken) {
                continue; // a name in use, or something planted there: never opened, try another
            }
            try {
                setTimes(temp, FileTime.from(expiry), lastUse);
                return temp;
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                throw e;
            }
        }
    }

    /**
     * Creates {@code file} with {@code content} and the store's permissions, failing if anything
     * (a symbolic link included) is there. The content goes through the descriptor that created
     * the file, so it cannot land anywhere else.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
     */
    void createNew(Path file, byte[] content) throws IOException {
        // Never broader than the store's mode, even for a moment; the umask may have narrowed it.
        SeekableByteChannel channel = permissions == null ? Files.newByteChannel(file, CREATE_NEW)
                : Files.newByteChannel(file, CREATE_NEW, PosixFilePermissions.asFileAttribute(permissions));
        try (channel) {
            if (permissions != null) {
                Files.getFileAttributeView(file, PosixFileAttributeView.class, NO_FOLLOW).setPermissions(permissions);
            }
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            // This call created the file: a write that failed (a full disk) must not leave it behind.
            deleteQuietly(file);
            throw e;
        }
    }

    /**
     * Sets a file's last-modified and last-access times in one call, on the file itself (on a
     * symbolic link, the link's own times: what it points to is never changed).
     *
     * @param lastModified the new expiry, or {@code null} to keep the file's
     * @param lastAccess   the new last use
     * @throws NoSuchFileException when the file is gone
     */
    static void setTimes(Path file, FileTime lastModified, FileTime lastAccess) throws IOException {
        Files.getFileAttributeView(file, BasicFileAttributeView.class, NO_FOLLOW).setTimes(lastModified, lastAccess, null);
    }

    /**
     * @return the attributes of the file itself, not following a symbolic link, or {@code null}
     *         when there is none
     */
    static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * Renames a file written by {@link #writeTemp} over {@code target} in one step: readers see
     * the old file or the new one, never a partial one or none.
     */
    static void moveOver(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A session file's content and times as read together.
     *
     * @param content    the bytes
     * @param expiry     the last-modified time, read after the bytes
     * @param lastAccess the last-access time, read with the expiry
     */
    record Content(byte[] content, Instant expiry, FileTime lastAccess) {
        boolean liveAt(Instant now) {
            return expiry.isAfter(now);
        }
    }

    /**
     * Reads a session file: content first, then expiry, so that a save racing in between makes
     * the caller see the older, still valid content rather than wrongly call the new one expired.
     * A symbolic link is not followed and reads as no file, like anything but a regular file.
     *
     * @return the content, or {@code null} when there is no such file
     */
    static Content read(Path file) throws IOException {
        byte[] content;
        try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
            content = readAll(channel);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null; // refused by NOFOLLOW_LINKS: planted, never the store's
            }
            throw e;
        }
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null || !attributes.isRegularFile()) {
            return null;
        }
        return new Content(content, attributes.lastModifiedTime().toInstant(), attributes.lastAccessTime());
    }

    private static byte[] readAll(SeekableByteChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("a session file of " + size + " bytes");
        }
        // Session files are never written in place (a rename replaces them), so the size holds.
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
    }

    /**
     * Records that a session was used, for a read that does not touch it: sets the file's
     * last-access time to now when it is {@link #NEVER_REUSED} or older than
     * {@link #USE_RESOLUTION}. Most file systems set it on the read already (the store's files
     * expire in the future, so even {@code relatime} updates it); this is for those mounted
     * {@code noatime}, and costs them one metadata write a minute per session at most. Best
     * effort: eviction order is advice, and a failure here must not fail the read.
     */
    static void recordUse(Path file, Content read, Instant now) {
        if (read.lastAccess().toInstant().isAfter(now.minus(USE_RESOLUTION))) {
            return;
        }
        try {
            setTimes(file, null, FileTime.from(now));
        } catch (IOException | RuntimeException ignored) {
            // Deleted or replaced meanwhile, or not ours to change: the next read tries again.
        }
    }

    /**
     * @return the file's expiry (its last-modified time), or {@code null} when there is no
     *         regular file (a symbolic link, not followed, counts as none)
     */
    static Instant expiry(Path file) throws IOException {
        BasicFileAttributes attributes = attributes(file);
        return attributes == null || !attributes.isRegularFile() ? null : attributes.lastModifiedTime().toInstant();
    }

    /**
     * A session file and its times.
     *
     * @param path       the file
     * @param expiry     its last-modified time when it was listed
     * @param lastAccess its last-access time when it was listed
     */
    record SessionFile(Path path, Instant expiry, FileTime lastAccess) {

        /** @return whether a request used the session after the write that created it */
        boolean reused() {
            return !lastAccess.equals(NEVER_REUSED);
        }

        /** @return whether the file still has the times it was listed with */
        boolean unchangedIn(BasicFileAttributes now) {
            return now != null && now.isRegularFile() && expiry.equals(now.lastModifiedTime().toInstant())
                    && lastAccess.equals(now.lastAccessTime());
        }

        static SessionFile of(Path path, BasicFileAttributes attributes) {
            return new SessionFile(path, attributes.lastModifiedTime().toInstant(), attributes.lastAccessTime());
        }
    }

    /**
     * What a listing of the directory found.
     *
     * @param sessions  the session files, expired ones included
     * @param lockFiles the files of session locks
     * @param links     symbolic links under a name the store uses (a session, lock or temporary
     *                  file's): never the store's own, to be removed
     */
    record Listing(List<SessionFile> sessions, List<Path> lockFiles, List<Path> links) {
    }

    /**
     * Lists the session files and lock files, and symbolic links planted under their names or a
     * temporary file's; on the way, deletes temporary files a crashed writer left. Reads each
     * entry's own attributes: a link is never followed.
     */
    Listing list() throws IOException {
        List<SessionFile> sessions = new ArrayList<>();
        List<Path> lockFiles = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        Instant abandoned = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean session = name.length() == HASH_LENGTH + SUFFIX.length() && name.endsWith(SUFFIX);
                boolean lock = name.length() == HASH_LENGTH + LOCK_SUFFIX.length() && name.endsWith(LOCK_SUFFIX);
                boolean temp = name.startsWith(TEMP_PREFIX);
                if (!session && !lock && !temp) {
                    continue;
                }
                BasicFileAttributes attributes = attributes(entry);
                if (attributes == null) {
                    continue; // deleted or replaced by another request or process: nothing to count
                }
                if (attributes.isSymbolicLink()) {
                    links.add(entry);
                } else if (!attributes.isRegularFile()) {
                    continue; // not the store's, and not a way out of the directory either: left alone
                } else if (session) {
                    sessions.add(SessionFile.of(entry, attributes));
                } else if (lock) {
                    lockFiles.add(entry);
                } else if (attributes.lastModifiedTime().toInstant().isBefore(abandoned)) {
                    deleteQuietly(entry);
                }
            }
        }
        return new Listing(sessions, lockFiles, links);
    }

    /**
     * Deletes a symbolic link planted under a name the store uses, under that name's lock so that
     * a save renaming a session file over it meanwhile is kept. Deleting removes the link, never
     * what it points to.
     *
     * @return whether this call deleted it
     */
    boolean deleteLink(Path link) {
        try {
            return locked(link, () -> Files.isSymbolicLink(link) && deleteQuietly(link));
        } catch (IOException unlockable) {
            return false;
        }
    }

    /**
     * Deletes a file if it is there, ignoring failures: pruning and clean-up are best effort,
     * and the next pass tries again.
     *
     * @param file the file, or {@code null}
     * @return whether this call deleted it
     */
    static boolean deleteQuietly(Path file) {
        if (file == null) {
            return false;
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException ignored) {
            return false;
        }
    }

    /**
     * @param operation what is about to be done, for the message
     * @throws SessionBackendException when the backend was closed
     */
    void requireOpen(String operation) {
        if (closed.get()) {
            throw new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                    "the backend was closed (" + path + ")", null);
        }
    }

    /**
     * @return the failure of {@code operation}, naming the file and the directory
     */
    SessionBackendException failure(String operation, IOException e) {
        String detail = e instanceof FileSystemException fse && fse.getReason() != null
                ? e.getClass().getSimpleName() + " on " + fse.getFile() + ": " + fse.getReason()
                : e.toString();
        return new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                detail + " (directory " + path + ")", e);
    }

    /**
     * Marks the store closed, so that every further operation fails, and gives up this store's
     * share of the directory's lock file. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            lockFile.close();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
