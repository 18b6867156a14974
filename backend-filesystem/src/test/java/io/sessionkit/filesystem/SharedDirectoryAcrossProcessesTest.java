package io.sessionkit.filesystem;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two JVMs overwrite and read the same session files at once: every read must see one whole
 * value some writer wrote, never a partial file or nothing.
 */
class SharedDirectoryAcrossProcessesTest {

    static final String[] KEYS = {"session:shared-a", "session:shared-b", "session:shared-c"};
    static final int ROUNDS = 400;

    @TempDir
    Path directory;

    @Test
    void twoProcessesSharingTheDirectoryNeverSeeATornOrMissingSession() throws Exception {
        SessionBackend backend = open(directory);
        for (String key : KEYS) {
            backend.save(key, value('p', 0), Duration.ofHours(1));
        }
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        java.io.BufferedReader otherOutput = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()));
        assertEquals("ready", otherOutput.readLine(), "the other process did not start");
        // Keep writing for as long as the other process does, so the two really overlap.
        String failure = null;
        int passes = 0;
        while (failure == null && (passes++ == 0 || other.isAlive())) {
            failure = hammer(backend, 'p', ROUNDS);
        }
        assertTrue(other.waitFor(2, TimeUnit.MINUTES), "the other process did not finish");
        String otherReport = otherOutput.lines().collect(java.util.stream.Collectors.joining("\n"));
        assertNull(failure, failure);
        assertEquals(0, other.exitValue(), "the other process saw a bad read: " + otherReport);
        assertTrue(passes > 1, "the other process finished before this one's first pass: no overlap was tested");
    }

    static SessionBackend open(Path directory) {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).build());
    }

    /** A value that tells who wrote it and in which round: a run of one letter, of a length per round. */
    static byte[] value(char writer, int round) {
        byte[] value = new byte[1000 + (round % 50) * 97];
        Arrays.fill(value, (byte) writer);
        return value;
    }

    static String hammer(SessionBackend backend, char writer, int rounds) {
        for (int round = 0; round < rounds; round++) {
            String key = KEYS[round % KEYS.length];
            backend.save(key, value(writer, round), Duration.ofHours(1));
            byte[] seen = backend.load(KEYS[(round + 1) % KEYS.length]);
            if (seen == null) {
                return "round " + round + ": a session was missing while it was being replaced";
            }
            for (byte b : seen) {
                if (b != seen[0]) {
                    return "round " + round + ": a session file mixed two writes";
                }
            }
            if ((seen.length - 1000) % 97 != 0) {
                return "round " + round + ": a session file was cut short (" + seen.length + " bytes)";
            }
        }
        return null;
    }

    /** The other process. */
    public static final class Writer {
        public static void main(String[] args) {
            SessionBackend backend = open(Path.of(args[0]));
            System.out.println("ready");
            // Five times the parent's pass, so the parent is still writing when this ends.
            String failure = hammer(backend, 'q', ROUNDS * 5);
            if (failure != null) {
                System.out.println(failure);
                System.exit(1);
            }
        }
    }
}
