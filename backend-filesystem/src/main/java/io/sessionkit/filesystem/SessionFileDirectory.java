package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The directory of session files as the store and its clean-up see it: which file holds a key,
 * which files are session files and when each expires (its last-modified time), and how a
 * failure is reported. Nothing here touches the disk until asked.
 *
 * <p>Thread-safe; other processes may use the same directory at once.
 */
final class SessionFileDirectory {

    static final String SUFFIX = ".session";
    static final String TEMP_PREFIX = ".tmp-";
    private static final int NAME_LENGTH = 64 + SUFFIX.length();
    // A temporary file this old was left by a crashed writer.
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofHours(1);

    private final Path path;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(SessionFileDirectory::newSha256);

    /**
     * @param path the directory, absolute
     */
    SessionFileDirectory(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * @return whether the directory's file system has POSIX permissions
     */
    boolean posix() {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * @return the file of a store key: the SHA-256 of the key in hex, so never built from
     *         request input and always inside the directory
     */
    Path fileFor(String key) {
        byte[] hash = sha256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return path.resolve(HexFormat.of().formatHex(hash) + SUFFIX);
    }

    /**
     * @return a new, empty temporary file in the directory, to be renamed over a session file
     */
    Path newTempFile() throws IOException {
        return Files.createTempFile(path, TEMP_PREFIX, null);
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
     * Lists the session files; on the way, deletes temporary files a crashed writer left.
     *
     * @return the session files, expired ones included
     */
    List<SessionFile> list() throws IOException {
        List<SessionFile> files = new ArrayList<>();
        Instant abandoned = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                try {
                    if (name.length() == NAME_LENGTH && name.endsWith(SUFFIX)) {
                        files.add(new SessionFile(entry, Files.getLastModifiedTime(entry).toInstant()));
                    } else if (name.startsWith(TEMP_PREFIX) && Files.getLastModifiedTime(entry).toInstant().isBefore(abandoned)) {
                        deleteQuietly(entry);
                    }
                } catch (NoSuchFileException goneMeanwhile) {
                    // Deleted or replaced by another request or process: nothing to count.
                }
            }
        }
        return files;
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
     * @return the failure of {@code operation}, naming the file and the directory
     */
    /** Marks the store closed: from now on every operation on it fails. */
    void close() {
        closed.set(true);
    }

    /**
     * @param operation what is about to be done, for the message
     * @throws SessionBackendException when the store was closed
     */
    void requireOpen(String operation) {
        if (closed.get()) {
            throw new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                    "the store was closed (" + path + ")", null);
        }
    }

    SessionBackendException failure(String operation, IOException e) {
        String detail = e instanceof FileSystemException fse && fse.getReason() != null
                ? e.getClass().getSimpleName() + " on " + fse.getFile() + ": " + fse.getReason()
                : e.toString();
        return new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                detail + " (directory " + path + ")", e);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
