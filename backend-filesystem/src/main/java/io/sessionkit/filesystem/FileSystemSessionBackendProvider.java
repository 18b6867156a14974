package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code filesystem} store, SessionKit's embedded default: one file per session in
 * {@code SESSION_FILE_DIR}, no server needed.
 *
 * <p>Keys: {@code SESSION_FILE_DIR} ({@code flask_session}), {@code SESSION_FILE_THRESHOLD}
 * (100000) and {@code SESSION_FILE_MODE} ({@code 0600}). {@link #create} reads them, creates the
 * directory (owner only) when missing, checks that it can be written and that no other user can
 * write it, opens the directory's lock file ({@link DirectoryLockFile}), then builds the backend.
 * A directory that cannot be created or written, or that is group- or world-writable or owned by
 * another user than the process's (where the file system has POSIX permissions), fails start-up
 * with a {@link SessionConfigException} naming the key, the path, what is wrong and the fix.
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
        boolean umaskNarrowsMode;
        try {
            umaskNarrowsMode = permissions != null && SessionFileDirectory.umaskNarrows(path, permissions);
        } catch (IOException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path + "' but a file with"
                    + " mode " + PosixFilePermissions.toString(permissions) + " cannot be created in it (" + e
                    + "); choose a directory the application may write");
        }
        DirectoryLockFile lockFile;
        try {
            lockFile = posix ? DirectoryLockFile.open(path, PosixFilePermissions.asFileAttribute(permissions))
                    : DirectoryLockFile.open(path);
        } catch (IOException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path + "' but its lock file "
                    + DirectoryLockFile.NAME + " cannot be opened for writing (" + e + "); every process using the"
                    + " directory must be able to write it");
        }
        SessionFileDirectory directory = new SessionFileDirectory(path, permissions, umaskNarrowsMode,
                SessionFileDirectory.keepsKernelTime(config.clock()), lockFile);
        int files;
        try {
            files = directory.list().sessions().size();
        } catch (IOException e) {
            closeQuietly(directory, e);
            throw directory.failure("list", e);
        }
        FileSystemPrincipalIndex principals = new FileSystemPrincipalIndex(directory, config.clock());
        FileSystemExpiredSessionCleanup cleanup = new FileSystemExpiredSessionCleanup(directory, principals, config.clock());
        SessionFilePruning pruning = new SessionFilePruning(directory, cleanup, settings.threshold(), files, config.clock());
        return new FileSystemSessionBackend(directory, cleanup, pruning, principals, config.clock());
    }

    private static void closeQuietly(SessionFileDirectory directory, Exception failure) {
        try {
            directory.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }

    /**
     * Creates the directory when missing, owner only, checks that a file can be written in it and,
     * where the file system has POSIX permissions, that no other user can write it.
     */
    private static void prepare(Path path, boolean posix) {
        UserPrincipal processUser;
        try {
            if (!Files.isDirectory(path)) {
                if (posix) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(path);
                }
            }
            // A file this process creates is owned by the user it runs as, whatever its name says.
            Path probe = Files.createTempFile(path, SessionFileDirectory.TEMP_PREFIX, null);
            try {
                processUser = posix ? Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS) : null;
            } finally {
                Files.delete(probe);
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new SessionConfigException(FileSystemSettings.SESSION_FILE_DIR + " was '" + path
                    + "' but that directory cannot be created or written (" + e
                    + "); choose a directory the application may write, or create it with the right owner");
        }
        if (processUser != null) {
            requireOwnedAndPrivate(path, processUser);
        }
    }

    /**
     * Refuses a directory that another user could write: one writable by its group or by all, or
     * owned by another user (who may change its mode at any time). Such a user could plant,
     * replace or read session files, or plant symbolic links under their names.
     */
    private static void requireOwnedAndPrivate(Path path, UserPrincipal processUser) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException noPosixAttributes) {
            return; // nothing to judge by; the probe above showed it can be written
        }
        List<String> problems = new ArrayList<>();
        Set<PosixFilePermission> mode = attributes.permissions();
        String writableBy = mode.contains(PosixFilePermission.OTHERS_WRITE) ? "other users"
                : mode.contains(PosixFilePermission.GROUP_WRITE) ? "its group" : null;
        if (writableBy != null) {
            problems.add(FileSystemSettings.SESSION_FILE_DIR + " was '" + path + "' but that directory is writable by "
                    + writableBy + " (mode " + octal(mode) + "), who could plant, replace or read session files;"
                    + " make it the application's own: chmod 700 " + path);
        }
        UserPrincipal owner = attributes.owner();
        if (!owner.equals(processUser)) {
            problems.add(FileSystemSettings.SESSION_FILE_DIR + " was '" + path + "' but that directory is owned by "
                    + owner.getName() + ", not by " + processUser.getName() + ", the user this process runs as; its owner"
                    + " could plant, replace or read session files: chown " + processUser.getName() + " " + path
                    + " (or choose a directory of that user's own)");
        }
        if (!problems.isEmpty()) {
            throw new SessionConfigException(problems);
        }
    }

    /** @return the permission bits in octal, such as {@code 0770} */
    private static String octal(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 0400 >> permission.ordinal();
        }
        return String.format("0%03o", bits);
    }
}
