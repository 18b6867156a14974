package io.sessionkit.filesystem;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two JVMs use the same session files at once: every read must see one whole value some writer
 * wrote, never a partial file or nothing; conditional replaces, session locks and the principal
 * index must hold across the two processes, not only among the threads of one.
 */
class SharedDirectoryAcrossProcessesTest {

    static final String[] KEYS = {"session:shared-a", "session:shared-b", "session:shared-c"};
    static final int ROUNDS = 400;
    static final String COUNTER = "session:counter";
    /** Increments each process makes in the counting tests. */
    static final int INCREMENTS = 300;
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path directory;

    @Test
    void twoProcessesSharingTheDirectoryNeverSeeATornOrMissingSession() throws Exception {
        SessionBackend backend = open(directory);
        for (String key : KEYS) {
            backend.save(key, value('p', 0), HOUR);
        }
        try (OtherProcess other = OtherProcess.start("torn", directory)) {
            // Keep writing for as long as the other process does, so the two really overlap.
            String failure = null;
            int passes = 0;
            while (failure == null && (passes++ == 0 || other.process.isAlive())) {
                failure = hammer(backend, 'p', ROUNDS);
            }
            String otherReport = other.finish();
            assertNull(failure, failure);
            assertEquals(0, other.process.exitValue(), "the other process saw a bad read: " + otherReport);
            assertTrue(passes > 1, "the other process finished before this one's first pass: no overlap was tested");
        }
    }

    @Test
    @DisplayName("a principal given to sessions in one process while the other keeps saving them is kept and listed")
    void principalsHoldAcrossProcesses() throws Exception {
        SessionBackend backend = open(directory);
        PrincipalIndex index = backend.capability(PrincipalIndex.class).orElseThrow();
        for (String key : KEYS) {
            backend.save(key, value('p', 0), HOUR);
        }
        int assignments = 0;
        try (OtherProcess other = OtherProcess.start("torn", directory)) {
            // The other process's saves must keep whatever principal this one gave each session last.
            while (assignments == 0 || other.process.isAlive()) {
                String key = KEYS[assignments % KEYS.length];
                String previous = assignments < KEYS.length ? null : "user-" + (assignments - KEYS.length);
                String principal = "user-" + assignments;
                index.assign(key, previous, principal, HOUR);
                Set<String> listed = keysOf(index, principal);
                assertEquals(Set.of(key), listed, "assignment " + assignments + ": a save in the other process lost it");
                if (previous != null) {
                    assertEquals(Set.of(), keysOf(index, previous), "assignment " + assignments + ": the previous principal");
                }
                assignments++;
            }
            String otherReport = other.finish();
            assertEquals(0, other.process.exitValue(), "the other process saw a bad read: " + otherReport);
        }
        assertTrue(assignments > KEYS.length, "the other process finished too soon: no overlap was tested");
        SessionListing listing = backend.capability(SessionListing.class).orElseThrow();
        assertEquals(KEYS.length, listing.count("session:shared-"));
    }

    private static Set<String> keysOf(PrincipalIndex index, String principal) {
        Set<String> keys = new HashSet<>();
        index.entriesOf(principal).forEach(entry -> keys.add(entry.key()));
        return keys;
    }

    @Test
    @DisplayName("two processes incrementing one counter with read-then-replace lose no increment")
    void conditionalReplacesHoldAcrossProcesses() throws Exception {
        countInBothProcesses("replace", SharedDirectoryAcrossProcessesTest::incrementWithReplace);
    }

    @Test
    @DisplayName("two processes incrementing one counter under the session lock lose no increment")
    void sessionLocksHoldAcrossProcesses() throws Exception {
        countInBothProcesses("lock", backend -> incrementUnderLock(backend, "parent"));
    }

    /**
     * Both processes increment the counter {@value #INCREMENTS} times at once, the other one
     * with {@code work}, this one with {@code increments}, which return how often they had to
     * retry (proof that the two overlapped).
     */
    private void countInBothProcesses(String work, ToLongFunction<SessionBackend> increments) throws Exception {
        SessionBackend backend = open(directory);
        backend.save(COUNTER, "0".getBytes(StandardCharsets.UTF_8), HOUR);
        long retries;
        try (OtherProcess other = OtherProcess.start(work, directory)) {
            retries = increments.applyAsLong(backend);
            retries += other.retries();
        }
        assertEquals(2 * INCREMENTS, counter(backend), "increments lost between the processes");
        assertTrue(retries > 0, "no attempt ever lost to the other process: they did not overlap, nothing was tested");
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
            backend.save(key, value(writer, round), HOUR);
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

    private static long counter(SessionBackend backend) {
        return Long.parseLong(new String(backend.load(COUNTER), StandardCharsets.UTF_8));
    }

    /** @return how many replaces lost the race and were retried */
    static long incrementWithReplace(SessionBackend backend) {
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        return increment(round -> {
            long conflicts = 0;
            while (true) {
                VersionedEntry current = writes.loadVersioned(COUNTER);
                byte[] next = String.valueOf(Long.parseLong(new String(current.value(), StandardCharsets.UTF_8)) + 1)
                        .getBytes(StandardCharsets.UTF_8);
                if (writes.replace(COUNTER, current.version(), next, HOUR)) {
                    return conflicts;
                }
                conflicts++;
            }
        });
    }

    /** @return how many times the lock was refused */
    static long incrementUnderLock(SessionBackend backend, String holder) {
        SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
        return increment(round -> {
            String token = holder + "-" + round;
            long refusals = 0;
            while (!locks.tryLock(COUNTER, token, Duration.ofMinutes(1))) {
                refusals++;
                LockSupport.parkNanos(100_000);
            }
            try {
                // A blind read and write: only the lock keeps the other process out in between.
                backend.save(COUNTER, String.valueOf(counter(backend) + 1).getBytes(StandardCharsets.UTF_8), HOUR);
            } finally {
                locks.unlock(COUNTER, token);
            }
            return refusals;
        });
    }

    private static long increment(ToLongFunction<Integer> oneIncrement) {
        long total = 0;
        for (int round = 0; round < INCREMENTS; round++) {
            total += oneIncrement.applyAsLong(round);
        }
        return total;
    }

    /** The other JVM, started on the same directory and class path. */
    private static final class OtherProcess implements AutoCloseable {
        final Process process;
        private final BufferedReader output;

        private OtherProcess(Process process) {
            this.process = process;
            this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Starts it and waits until it is about to begin its work. */
        static OtherProcess start(String work, Path directory) throws IOException {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Writer.class.getName(), work, directory.toString())
                    .redirectErrorStream(true).start();
            OtherProcess other = new OtherProcess(process);
            StringBuilder before = new StringBuilder();
            String line;
            // Whatever else the JVM prints first (a logging notice, say) is not the signal.
            while ((line = other.output.readLine()) != null && !line.equals("ready")) {
                before.append(line).append('\n');
            }
            assertNotNull(line, "the other process did not start: " + before);
            return other;
        }

        /** @return what it printed after starting its work, once it has ended */
        String finish() throws InterruptedException {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the other process did not finish");
            return output.lines().collect(Collectors.joining("\n"));
        }

        /** @return the number it reported on its last line, after checking that it succeeded */
        long retries() throws InterruptedException {
            String report = finish();
            assertEquals(0, process.exitValue(), "the other process failed: " + report);
            String[] lines = report.strip().split("\n");
            return Long.parseLong(lines[lines.length - 1].strip());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** The other process: {@code torn}, {@code replace} or {@code lock}, then the directory. */
    public static final class Writer {
        public static void main(String[] args) {
            SessionBackend backend = open(Path.of(args[1]));
            PrintStream out = System.out;
            out.println("ready");
            out.flush();
            switch (args[0]) {
                case "torn" -> {
                    // Five times the parent's pass, so the parent is still writing when this ends.
                    String failure = hammer(backend, 'q', ROUNDS * 5);
                    if (failure != null) {
                        out.println(failure);
                        System.exit(1);
                    }
                }
                case "replace" -> out.println(incrementWithReplace(backend));
                case "lock" -> out.println(incrementUnderLock(backend, "child"));
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
