package io.sessionkit.filesystem;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Session files whose expiry is their last-modified time plus the lifetime their header names
 * (version 2; written with the system clock, a save over a live session leaves the file's times to
 * the kernel), beside files of version 1 and of the previous release, whose last-modified time is
 * their expiry.
 */
class SessionFileLifetimeTest {

    private static final Duration HOUR = Duration.ofHours(1);
    // The kernel stamps files with a coarse clock, up to a scheduler tick behind the precise one.
    private static final Duration TICK = Duration.ofMillis(20);

    @TempDir
    Path directory;

    /** A store on the system clock, as an application runs it. */
    private FileSystemSessionBackend backend() {
        return backend(SessionConfig.builder());
    }

    private FileSystemSessionBackend backend(SessionConfig.Builder config) {
        return (FileSystemSessionBackend) BackendRegistry.load()
                .create(config.set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int version(Path file) throws IOException {
        return Files.readAllBytes(file)[SessionFileFormat.MAGIC.length];
    }

    private static Duration lifetime(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        return SessionFileFormat.parse(content, content.length, true).lifetime();
    }

    private static BasicFileAttributes times(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void setModified(Path file, Instant modified) throws IOException {
        SessionFileDirectory.setTimes(file, FileTime.from(modified), times(file).lastAccessTime());
    }

    private static void assertAbout(Instant expected, Instant actual, String what) {
        assertNotNull(actual, what);
        assertTrue(!actual.isBefore(expected.minus(TICK)) && !actual.isAfter(expected.plus(TICK)),
                what + ": expected about " + expected + " but was " + actual);
    }

    @Test
    void aSaveOverALiveSessionLeavesTheTimesToTheKernelAndNamesTheLifetime() throws IOException {
        FileSystemSessionBackend backend = backend();
        Path file = backend.fileFor("session:a");
        Instant created = Instant.now();
        backend.save("session:a", bytes("one"), HOUR);
        assertEquals(SessionFileDirectory.NEVER_REUSED, times(file).lastAccessTime(),
                "a new session's file is marked never reused, so its times are set");
        Instant modifiedAtCreation = times(file).lastModifiedTime().toInstant();
        assertFalse(modifiedAtCreation.isBefore(created) || modifiedAtCreation.isAfter(Instant.now()),
                "its last-modified time is the store's now: " + modifiedAtCreation);
        assertEquals(2, version(file));
        assertEquals(HOUR, lifetime(file));

        Instant before = Instant.now();
        backend.save("session:a", bytes("two"), HOUR);
        Instant after = Instant.now();

        assertEquals(2, version(file));
        assertEquals(HOUR, lifetime(file));
        Instant modified = times(file).lastModifiedTime().toInstant();
        assertFalse(modified.isBefore(before.minus(TICK)) || modified.isAfter(after), "the kernel's time of the write: " + modified);
        assertNotEquals(SessionFileDirectory.NEVER_REUSED, times(file).lastAccessTime(), "a save over a live session is a use");
        VersionedEntry entry = backend.capability(ExpiryReportingLoad.class).orElseThrow().loadWithExpiry("session:a");
        assertArrayEquals(bytes("two"), entry.value());
        assertEquals(modified.plus(HOUR), entry.expiresAt());
    }

    @Test
    void aConditionalReplaceWritesTheLifetimeToo() throws IOException {
        FileSystemSessionBackend backend = backend();
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        assertTrue(writes.create("session:a", bytes("one"), HOUR));
        long version = writes.loadVersioned("session:a").version();
        Instant now = Instant.now();
        assertTrue(writes.replace("session:a", version, bytes("two"), Duration.ofMinutes(5)));

        Path file = backend.fileFor("session:a");
        assertEquals(Duration.ofMinutes(5), lifetime(file));
        assertAbout(now.plus(Duration.ofMinutes(5)), writes.loadVersioned("session:a").expiresAt(), "the reported expiry");
        assertFalse(writes.replace("session:a", version, bytes("three"), HOUR), "the version still guards the replace");
    }

    @Test
    void theLifetimeCountsFromTheLastModifiedTime() throws IOException {
        FileSystemSessionBackend backend = backend();
        backend.save("session:live", bytes("v"), HOUR);
        backend.save("session:live", bytes("v"), HOUR);
        backend.save("session:expired", bytes("v"), HOUR);
        backend.save("session:expired", bytes("v"), HOUR);
        Instant now = Instant.now();
        // Written 50 and 70 minutes ago, to live an hour from then.
        setModified(backend.fileFor("session:live"), now.minus(Duration.ofMinutes(50)));
        setModified(backend.fileFor("session:expired"), now.minus(Duration.ofMinutes(70)));

        assertArrayEquals(bytes("v"), backend.load("session:live"));
        assertEquals(now.plus(Duration.ofMinutes(10)),
                backend.capability(ExpiryReportingLoad.class).orElseThrow().loadWithExpiry("session:live").expiresAt());
        assertNull(backend.load("session:expired"));
        assertNull(backend.capability(ConditionalWrites.class).orElseThrow().loadVersionedAndTouch("session:expired", HOUR));
        backend.touch("session:expired", HOUR);
        assertNull(backend.load("session:expired"), "a touch does not revive an expired file");
    }

    @Test
    void aTouchSetsTheExpiryItAsksForWhateverTheLifetime() throws IOException {
        FileSystemSessionBackend backend = backend();
        ExpiryReportingLoad reporting = backend.capability(ExpiryReportingLoad.class).orElseThrow();
        backend.save("session:a", bytes("v"), HOUR);
        backend.save("session:a", bytes("v"), HOUR);
        Path file = backend.fileFor("session:a");

        Instant now = Instant.now();
        backend.touch("session:a", Duration.ofDays(1));
        assertAbout(now.plus(Duration.ofDays(1)), reporting.loadWithExpiry("session:a").expiresAt(), "after a touch for a day");
        assertEquals(HOUR, lifetime(file), "a touch leaves the content alone");

        now = Instant.now();
        backend.capability(ConditionalWrites.class).orElseThrow().loadVersionedAndTouch("session:a", Duration.ofMinutes(10));
        assertAbout(now.plus(Duration.ofMinutes(10)), reporting.loadWithExpiry("session:a").expiresAt(),
                "after a read that touches for ten minutes");
    }

    @Test
    void filesWithoutALifetimeStillReadByTheirLastModifiedTime() throws IOException {
        FileSystemSessionBackend backend = backend();
        Instant expiry = Instant.now().plus(HOUR).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Path version1 = backend.fileFor("session:v1");
        Files.write(version1, concat(SessionFileFormat.header("session:v1", "alice"), bytes("one")));
        setModified(version1, expiry);
        Path previousRelease = backend.fileFor("session:old");
        Files.write(previousRelease, bytes("two"));
        setModified(previousRelease, expiry);

        ExpiryReportingLoad reporting = backend.capability(ExpiryReportingLoad.class).orElseThrow();
        assertArrayEquals(bytes("one"), reporting.loadWithExpiry("session:v1").value());
        assertEquals(expiry, reporting.loadWithExpiry("session:v1").expiresAt());
        assertArrayEquals(bytes("two"), reporting.loadWithExpiry("session:old").value());
        assertEquals(expiry, reporting.loadWithExpiry("session:old").expiresAt());

        Instant now = Instant.now();
        backend.touch("session:v1", Duration.ofDays(1));
        assertAbout(now.plus(Duration.ofDays(1)), times(version1).lastModifiedTime().toInstant(),
                "a version 1 file's last-modified time is its expiry");

        backend.save("session:v1", bytes("three"), HOUR);
        assertEquals(HOUR, lifetime(version1), "the next save over it writes the lifetime");
        byte[] content = Files.readAllBytes(version1);
        assertEquals("alice", SessionFileFormat.parse(content, content.length, true).principal(), "and keeps its principal");
    }

    @Test
    void theCleanupReadsTheLifetimeAndLeavesTheLastUseAlone() throws IOException {
        FileSystemSessionBackend backend = backend();
        PrincipalIndex principals = backend.capability(PrincipalIndex.class).orElseThrow();
        for (String key : new String[]{"session:live", "session:expired"}) {
            backend.save(key, bytes("v"), HOUR);
            principals.assign(key, null, "alice", HOUR);
            backend.save(key, bytes("v"), HOUR);
            assertEquals(2, version(backend.fileFor(key)));
        }
        Instant now = Instant.now();
        Path live = backend.fileFor("session:live");
        FileTime lastUse = FileTime.from(now.minus(Duration.ofMinutes(40)));
        // Last written and used 40 minutes ago, never read since: the kernel would set its
        // last-access time on the clean-up's read.
        SessionFileDirectory.setTimes(live, FileTime.from(now.minus(Duration.ofMinutes(40))), lastUse);
        setModified(backend.fileFor("session:expired"), now.minus(Duration.ofMinutes(61)));

        assertEquals(1, backend.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired());

        assertFalse(Files.exists(backend.fileFor("session:expired")));
        assertTrue(Files.exists(live));
        assertEquals(lastUse, times(live).lastAccessTime(), "looking into the header is no use of the session");
        assertEquals(1, principals.entriesOf("alice").size(), "the live session keeps its principal's marker");
    }

    @Test
    void aTestClockHasTheTimesSet() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        FileSystemSessionBackend backend = backend(SessionConfig.builder().clock(clock));
        backend.save("session:a", bytes("one"), HOUR);
        clock.advance(Duration.ofMinutes(1));
        backend.save("session:a", bytes("two"), HOUR);

        Path file = backend.fileFor("session:a");
        assertEquals(HOUR, lifetime(file));
        assertEquals(clock.instant(), times(file).lastModifiedTime().toInstant(), "the kernel's time is not the store's: set");
        assertNotEquals(SessionFileDirectory.NEVER_REUSED, times(file).lastAccessTime());
        clock.advance(HOUR);
        assertNull(backend.load("session:a"));
    }

    @Test
    void aVersion2HeaderReadsBackAndANegativeLifetimeIsUnreadable() {
        byte[] header = SessionFileFormat.header("session:a", "bob", Duration.ofMinutes(30));
        SessionFileFormat.Header parsed = SessionFileFormat.parse(header, header.length, true);
        assertEquals(new SessionFileFormat.Header("session:a", "bob", header.length, Duration.ofMinutes(30)), parsed);
        assertNull(SessionFileFormat.parse(header, 12, false), "a header cut short in a longer file is read again whole");

        byte[] negative = header.clone();
        ByteBuffer.wrap(negative).putLong(SessionFileFormat.MAGIC.length + 1, -1);
        assertFalse(SessionFileFormat.parse(negative, negative.length, true).readable());

        byte[] huge = SessionFileFormat.header("k", null, Duration.ofDays(365 * 1000L));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), SessionFileFormat.parse(huge, huge.length, true).lifetime(),
                "a lifetime beyond a long's nanoseconds is held at the longest one");
        assertThrows(IllegalArgumentException.class, () -> SessionFileFormat.header("k", null, Duration.ofSeconds(-1)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
