package io.sessionkit.servlet;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The filesystem store in a test's temporary directory, behind an {@link ObservedBackend}, and
 * the engine on it. Configured from code only, so the machine's environment cannot change a test.
 */
final class FileSystemStore {

    /** The lock file through which the store's threads and processes take turns on a session file. */
    static final String DIRECTORY_LOCK_FILE = ".sessionkit.lock";

    final Path directory;
    final SessionConfig config;
    final ObservedBackend backend;
    final SessionInterface engine;

    FileSystemStore(Path directory, Map<String, ?> settings) {
        this.directory = directory;
        Map<String, Object> all = new HashMap<>(settings);
        all.put("SESSION_TYPE", "filesystem");
        all.put("SESSION_FILE_DIR", directory.toString());
        this.config = SessionConfig.builder().fromMap(all).build();
        this.backend = new ObservedBackend(BackendRegistry.load().create(config));
        this.engine = SessionInterface.create(config, backend);
    }

    FileSystemStore(Path directory) {
        this(directory, Map.of());
    }

    /** The names of the files in the store directory. */
    Set<String> files() throws IOException {
        return files(directory);
    }

    /**
     * The names of the files in a filesystem store's directory, but for the lock file
     * {@value #DIRECTORY_LOCK_FILE} that the store keeps there for as long as it runs.
     */
    static Set<String> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> !name.equals(DIRECTORY_LOCK_FILE))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** The file name the filesystem store uses for a session id: the SHA-256 of its store key. */
    String fileNameOf(String sessionId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((config.keyPrefix() + sessionId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash) + ".session";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
