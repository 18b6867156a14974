package io.sessionkit.filesystem;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The {@code filesystem} store's keys, read and validated together: every bad value is
 * reported in one {@link io.sessionkit.SessionConfigException}.
 *
 * @param directory {@code SESSION_FILE_DIR}: where session files live, absolute; default
 *                  {@code flask_session} in the working directory, as in Flask-Session
 * @param threshold {@code SESSION_FILE_THRESHOLD}: how many session files to keep at most;
 *                  default 100000; beyond it expired files go first, then sessions never used since
 *                  their creation, then the least recently used
 * @param mode      {@code SESSION_FILE_MODE}: the files' permissions, octal; default {@code 0600}
 */
record FileSystemSettings(Path directory, int threshold, int mode) {

    static final String SESSION_FILE_DIR = "SESSION_FILE_DIR";
    static final String SESSION_FILE_THRESHOLD = "SESSION_FILE_THRESHOLD";
    static final String SESSION_FILE_MODE = "SESSION_FILE_MODE";

    static final String DEFAULT_DIRECTORY = "flask_session";
    // 100,000 files of a typical session (under 4 KiB, one block each) take about 400 MB:
    // docs/backends/filesystem.md gives the bound.
    static final int DEFAULT_THRESHOLD = 100_000;
    static final int DEFAULT_MODE = 0600;

    /**
     * Reads and validates the keys. Does no I/O: whether the directory can be used is checked
     * when the store is prepared.
     *
     * @param config the whole configuration
     * @return the settings
     * @throws io.sessionkit.SessionConfigException listing every bad value
     */
    static FileSystemSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        String dir = reader.string(SESSION_FILE_DIR, DEFAULT_DIRECTORY);
        Path directory = null;
        try {
            directory = Paths.get(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reader.invalid(SESSION_FILE_DIR, dir, "a directory path (" + e.getReason() + ")");
        }
        int threshold = reader.integer(SESSION_FILE_THRESHOLD, DEFAULT_THRESHOLD, 1, Integer.MAX_VALUE);
        int mode = readMode(reader);
        reader.validate();
        return new FileSystemSettings(directory, threshold, mode);
    }

    /**
     * @return {@code SESSION_FILE_MODE} as POSIX permissions, such as {@code rw-------} for 0600
     */
    Set<PosixFilePermission> permissions() {
        StringBuilder text = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    private static int readMode(ConfigReader reader) {
        String text = reader.string(SESSION_FILE_MODE, "0600");
        try {
            int mode = Integer.parseInt(text, 8);
            // The owner must be able to read and write its own sessions; nothing beyond rwx bits.
            if (mode >= 0 && mode <= 0777 && (mode & 0600) == 0600) {
                return mode;
            }
        } catch (NumberFormatException notOctal) {
            // reported below
        }
        reader.invalid(SESSION_FILE_MODE, text, "an octal file mode that lets the owner read and write, such as 0600");
        return DEFAULT_MODE;
    }
}
