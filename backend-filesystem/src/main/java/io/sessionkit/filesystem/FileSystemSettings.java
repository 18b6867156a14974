package io.sessionkit.filesystem;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The filesystem store's keys.
 *
 * @param directory {@code SESSION_FILE_DIR}: where session files live; default
 *                  {@code flask_session} in the working directory, as in Flask-Session
 * @param threshold {@code SESSION_FILE_THRESHOLD}: how many session files to keep at most;
 *                  default 500; beyond it expired files go first, then the least recently used
 * @param mode      {@code SESSION_FILE_MODE}: the files' permissions, octal; default {@code 0600}
 */
record FileSystemStoreConfig(Path directory, int threshold, int mode) {

    static final String SESSION_FILE_DIR = "SESSION_FILE_DIR";
    static final String SESSION_FILE_THRESHOLD = "SESSION_FILE_THRESHOLD";
    static final String SESSION_FILE_MODE = "SESSION_FILE_MODE";

    static FileSystemStoreConfig from(SessionConfig config) {
        ConfigReader reader = config.reader();
        String dir = reader.string(SESSION_FILE_DIR, "flask_session");
        Path directory = null;
        try {
            directory = Paths.get(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reader.invalid(SESSION_FILE_DIR, dir, "a directory path (" + e.getReason() + ")");
        }
        int threshold = reader.integer(SESSION_FILE_THRESHOLD, 500, 1, Integer.MAX_VALUE);
        int mode = parseMode(reader);
        reader.validate();
        return new FileSystemStoreConfig(directory, threshold, mode);
    }

    private static int parseMode(ConfigReader reader) {
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
        return 0600;
    }
}
