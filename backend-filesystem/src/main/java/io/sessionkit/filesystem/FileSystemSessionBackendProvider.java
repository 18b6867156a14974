package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Provides the {@code filesystem} store, SessionKit's embedded default: one file per session in
 * {@code SESSION_FILE_DIR}, no server needed.
 *
 * <p>Keys: {@code SESSION_FILE_DIR} ({@code flask_session}), {@code SESSION_FILE_THRESHOLD}
 * (500) and {@code SESSION_FILE_MODE} ({@code 0600}). {@link #create} reads them, creates the
 * directory (owner only) when missing and checks that it can be written, then builds the
 * backend. A directory that cannot be created or written fails start-up with a
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
        SessionFileDirectory directory = new SessionFileDirectory(settings.directory());
        prepare(directory);
        int files;
        try {
            files = directory.list().size();
        } catch (IOException e) {
            throw directory.failure("list", e);
        }
        FileSystemExpiredSessionCleanup cleanup = new FileSystemExpiredSessionCleanup(directory, config.clock());
        return new FileSystemSessionBackend(settings, directory, cleanup, files, config.clock());
    }

    /** Creates the directory when missing, owner only, and checks that a file can be written in it. */
    private static void prepare(SessionFileDirectory directory) {
        Path path = directory.path();
        try {
            if (!Files.isDirectory(path)) {
                if (directory.posix()) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(path);
                }
            }
            Files.delete(directory.newTempFile());
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path
                    + "' but that directory cannot be created or written (" + e
                    + "); choose a directory the application may write, or create it with the right owner");
        }
    }
}
