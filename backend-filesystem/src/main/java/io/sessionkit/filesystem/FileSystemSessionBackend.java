package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.SessionBackend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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
 * </ul>
 */
public final class FileSystemSessionBackend implements SessionBackend {

    private static final String TYPE = FileSystemSessionBackendProvider.TYPE;
    private static final String SUFFIX = ".session";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int NAME_LENGTH = 64 + SUFFIX.length();
    // A temporary file this old was left by a crashed writer.
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofHours(1);

    private final Path directory;
    private final int threshold;
    private final Set<PosixFilePermission> permissions;
    private final Clock clock;
    private final AtomicInteger fileCountUpperBound;
    private final ReentrantLock pruning = new ReentrantLock();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(FileSystemSessionBackend::newSha256);

    FileSystemSessionBackend(FileSystemStoreConfig config, Clock clock) {
        this.directory = config.directory();
        this.threshold = config.threshold();
        this.clock = clock;
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.permissions = posix ? PosixFilePermissions.fromString(rwx(config.mode())) : null;
        prepareDirectory();
        this.fileCountUpperBound = new AtomicInteger(countSessionFiles());
    }

    private void prepareDirectory() {
        try {
            if (!Files.isDirectory(directory)) {
                if (permissions != null) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
            Path probe = Files.createTempFile(directory, TEMP_PREFIX, null);
            Files.delete(probe);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new SessionConfigException(FileSystemStoreConfig.SESSION_FILE_DIR + " was '" + directory
                    + "' but that directory cannot be created or written (" + e
                    + "); choose a directory the application may write, or create it with the right owner");
        }
    }

    @Override
    public byte[] load(String key) {
        Path file = fileFor(key);
        try {
            // Content first, then expiry: a save racing in between makes us return the older,
            // still valid content rather than wrongly call the new one expired.
            byte[] data = Files.readAllBytes(file);
            Instant expiry = Files.getLastModifiedTime(file).toInstant();
            return expiry.isAfter(clock.instant()) ? data : null;
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw failure("load", e);
        }
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        Path target = fileFor(key);
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, TEMP_PREFIX, null);
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.write(temp, value);
            Files.setLastModifiedTime(temp, FileTime.from(clock.instant().plus(timeToLive)));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw failure("save", e);
        } finally {
            deleteQuietly(temp);
        }
        if (fileCountUpperBound.incrementAndGet() > threshold) {
            prune();
        }
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        Path file = fileFor(key);
        try {
            Instant now = clock.instant();
            // An expired file is as good as absent: touching it must not bring it back.
            if (Files.getLastModifiedTime(file).toInstant().isAfter(now)) {
                Files.setLastModifiedTime(file, FileTime.from(now.plus(timeToLive)));
            }
        } catch (NoSuchFileException absent) {
            // Nothing to keep alive.
        } catch (IOException e) {
            throw failure("touch", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(fileFor(key));
        } catch (IOException e) {
            throw failure("delete", e);
        }
    }

    @Override
    public void close() {
        // Files need no releasing.
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
            Instant now = clock.instant();
            List<SessionFile> live = new ArrayList<>();
            for (SessionFile file : listSessionFiles()) {
                if (file.expiry().isAfter(now)) {
                    live.add(file);
                } else {
                    deleteQuietly(file.path());
                }
            }
            int target = Math.max(1, threshold - threshold / 10);
            if (live.size() > target) {
                live.sort(Comparator.comparing(SessionFile::expiry));
                for (SessionFile file : live.subList(0, live.size() - target)) {
                    deleteQuietly(file.path());
                }
                live = live.subList(live.size() - target, live.size());
            }
            fileCountUpperBound.set(live.size());
            return live.size();
        } catch (IOException e) {
            throw failure("prune", e);
        } finally {
            pruning.unlock();
        }
    }

    private record SessionFile(Path path, Instant expiry) {
    }

    private List<SessionFile> listSessionFiles() throws IOException {
        List<SessionFile> files = new ArrayList<>();
        Instant abandoned = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
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

    private int countSessionFiles() {
        try {
            return listSessionFiles().size();
        } catch (IOException e) {
            throw failure("list", e);
        }
    }

    /** @return the directory the session files live in */
    public Path directory() {
        return directory;
    }

    Path fileFor(String key) {
        byte[] hash = sha256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return directory.resolve(HexFormat.of().formatHex(hash) + SUFFIX);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Pruning and clean-up are best effort; the next pass tries again.
        }
    }

    private SessionBackendException failure(String operation, IOException e) {
        String detail = e instanceof FileSystemException fse && fse.getReason() != null
                ? e.getClass().getSimpleName() + " on " + fse.getFile() + ": " + fse.getReason()
                : e.toString();
        return new SessionBackendException(TYPE, operation, detail + " (directory " + directory + ")", e);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
