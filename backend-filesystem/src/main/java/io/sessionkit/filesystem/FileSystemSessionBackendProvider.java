package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Provides the {@code filesystem} store, SessionKit's embedded default: one file per session in
 * {@code SESSION_FILE_DIR}, no server needed.
 *
 * <p>Keys: {@code SESSION_FILE_DIR} ({@code flask_session}), {@code SESSION_FILE_THRESHOLD}
 * (500) and {@code SESSION_FILE_MODE} ({@code 0600}). {@link #create} reads them, creates the
 * directory (owner only) when missing and checks that it can be written, opens the directory's
 * lock file ({@link DirectoryLockFile}), then builds the backend. A directory that cannot be created or written fails start-up with a
 * {@link SessionConfigException} naming the key and the path.
 */
public final class FileSystemSessionBackendProvider implements SessionBackendProvider {

    /** The store's {@code SESSION_TYPE}, {@code filesystem}. */
    public static final String TYPE = "filesystem";

    /** Does nothing; all work happens in {@link #create}. */
    public FileSystemSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        FileSystemSettings settings = FileSystemSettings.read(config);
        Path path = settings.directory();
        boolean posix = SessionFileDirectory.posix(path);
        prepare(path, posix);
        Set<PosixFilePermission> permissions = posix ? settings.permissions() : null;
        DirectoryLockFile lockFile;
        try {
            lockFile = posix ? DirectoryLockFile.open(path, PosixFilePermissions.asFileAttribute(permissions))
                    : DirectoryLockFile.open(path);
        } catch (IOException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path + "' but its lock file "
                    + DirectoryLockFile.NAME + " cannot be opened for writing (" + e + "); every process using the"
                    + " directory must be able to write it");
        }
        SessionFileDirectory directory = new SessionFileDirectory(path, permissions, lockFile);
        int files;
        try {
            files = directory.list().sessions().size();
        } catch (IOException e) {
            closeQuietly(directory, e);
            throw directory.failure("list", e);
        }
        FileSystemExpiredSessionCleanup cleanup = new FileSystemExpiredSessionCleanup(directory, config.clock());
        return new FileSystemSessionBackend(settings.threshold(), directory, cleanup, files, config.clock());
    }

    private static void closeQuietly(SessionFileDirectory directory, Exception failure) {
        try {
            directory.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }

    /** Creates the directory when missing, owner only, and checks that a file can be written in it. */
    private static void prepare(Path path, boolean posix) {
        try {
            if (!Files.isDirectory(path)) {
                if (posix) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(path);
                }
            }
            Files.delete(Files.createTempFile(path, SessionFileDirectory.TEMP_PREFIX, null));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path
                    + "' but that directory cannot be created or written (" + e
                    + "); choose a directory the application may write, or create it with the right owner");
        }
    }
}
