package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The directory of session files as the store and its capabilities see it: which file holds a
 * key (and which file holds its lock), which files are session files and when each expires (its
 * last-modified time), how a file is written (a temporary file renamed over it) and read with its
 * version, the {@link DirectoryLockFile} that makes a check and a write one step, and how a
 * failure is reported.
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
     * @return a new, empty temporary file in the directory, to be renamed over a session file
     */
    Path newTempFile() throws IOException {
        return Files.createTempFile(path, TEMP_PREFIX, null);
    }

    /**
     * Writes a temporary file with the store's permissions, {@code content} and {@code expiry}
     * as its last-modified time, ready for {@link #moveOver}. The caller deletes it if it is not
     * moved.
     *
     * @return the temporary file
     */
    Path writeTemp(byte[] content, Instant expiry) throws IOException {
        Path temp = newTempFile();
        try {
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.write(temp, content);
            Files.setLastModifiedTime(temp, FileTime.from(expiry));
            return temp;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Creates {@code file} with {@code content} and the store's permissions, failing if it exists.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
     */
    void createNew(Path file, byte[] content) throws IOException {
        Set<OpenOption> createNew = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // Never broader than the store's mode, even for a moment; the umask may have narrowed it.
        try (SeekableByteChannel channel = permissions == null ? Files.newByteChannel(file, createNew)
                : Files.newByteChannel(file, createNew, PosixFilePermissions.asFileAttribute(permissions))) {
            if (permissions != null) {
                Files.setPosixFilePermissions(file, permissions);
            }
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
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
     * A session file's content and expiry as read together.
     *
     * @param content the bytes
     * @param expiry  the last-modified time, read after the bytes
     */
    record Content(byte[] content, Instant expiry) {
        boolean liveAt(Instant now) {
            return expiry.isAfter(now);
        }
    }

    /**
     * Reads a session file: content first, then expiry, so that a save racing in between makes
     * the caller see the older, still valid content rather than wrongly call the new one expired.
     *
     * @return the content, or {@code null} when there is no such file
     */
    static Content read(Path file) throws IOException {
        try {
            byte[] content = Files.readAllBytes(file);
            return new Content(content, Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * @return the file's expiry (its last-modified time), or {@code null} when it is gone
     */
    static Instant expiry(Path file) throws IOException {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * A session file and its expiry.
     *
     * @param path   the file
     * @param expiry its last-modified time when it was listed
     */
    record SessionFile(Path path, Instant expiry) {
    }

    /**
     * What a listing of the directory found.
     *
     * @param sessions  the session files, expired ones included
     * @param lockFiles the files of session locks
     */
    record Listing(List<SessionFile> sessions, List<Path> lockFiles) {
    }

    /**
     * Lists the session files and lock files; on the way, deletes temporary files a crashed
     * writer left.
     */
    Listing list() throws IOException {
        List<SessionFile> sessions = new ArrayList<>();
        List<Path> lockFiles = new ArrayList<>();
        Instant abandoned = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                try {
                    if (name.length() == HASH_LENGTH + SUFFIX.length() && name.endsWith(SUFFIX)) {
                        sessions.add(new SessionFile(entry, Files.getLastModifiedTime(entry).toInstant()));
                    } else if (name.length() == HASH_LENGTH + LOCK_SUFFIX.length() && name.endsWith(LOCK_SUFFIX)) {
                        lockFiles.add(entry);
                    } else if (name.startsWith(TEMP_PREFIX) && Files.getLastModifiedTime(entry).toInstant().isBefore(abandoned)) {
                        deleteQuietly(entry);
                    }
                } catch (NoSuchFileException goneMeanwhile) {
                    // Deleted or replaced by another request or process: nothing to count.
                }
            }
        }
        return new Listing(sessions, lockFiles);
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
