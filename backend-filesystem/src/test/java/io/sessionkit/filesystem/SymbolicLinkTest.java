package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A symbolic link planted in the session directory, under a session file's name, a lock file's
 * name or a temporary file's name, is never followed: it reads as no session, and every
 * operation leaves the file it points to as it was, replacing or removing only the link.
 */
class SymbolicLinkTest {

    private static final String KEY = "session:planted";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final byte[] SECRET = "{\"data\":{\"user\":\"root\"},\"permanent\":true}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private Path directory;
    private Path target;
    private FileTime targetModified;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void plantTarget() throws IOException {
        directory = root.resolve("sessions");
        target = Files.write(Files.createDirectory(root.resolve("outside")).resolve("secret"), SECRET);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        // Ten minutes old by the wall clock, and live until 2031 by the store's: worth following for a careless store.
        targetModified = FileTime.from(Instant.parse("2031-01-01T00:00:00Z"));
        Files.setLastModifiedTime(target, targetModified);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private FileSystemSessionBackend backend() {
        FileSystemSessionBackend backend = (FileSystemSessionBackend) BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).clock(clock).build());
        opened.add(backend);
        return backend;
    }

    private Path plant(Path link) throws IOException {
        return Files.createSymbolicLink(link, target);
    }

    private void assertTargetUntouched() throws IOException {
        assertArrayEquals(SECRET, Files.readAllBytes(target), "the file the link points to was written");
        assertEquals(targetModified, Files.getLastModifiedTime(target), "the file the link points to had its time changed");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                "the file the link points to had its mode changed");
    }

    private static boolean isLink(Path path) {
        return Files.isSymbolicLink(path);
    }

    @Test
    void aLinkUnderASessionNameReadsAsNoSessionAndIsNotTouched() throws IOException {
        FileSystemSessionBackend backend = backend();
        plant(backend.fileFor(KEY));
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();

        assertNull(backend.load(KEY), "a load read through the link");
        assertNull(writes.loadVersioned(KEY));
        assertNull(writes.loadVersionedAndTouch(KEY, HOUR));
        backend.touch(KEY, HOUR);
        assertFalse(writes.replace(KEY, SessionFileDirectory.version(SECRET), "{}".getBytes(StandardCharsets.UTF_8), HOUR));
        assertFalse(writes.delete(KEY, SessionFileDirectory.version(SECRET)));
        assertTargetUntouched();
        assertTrue(isLink(backend.fileFor(KEY)));
    }

    @Test
    void touchesThroughALinkLeaveWhatItPointsToAlone() throws IOException {
        FileSystemSessionBackend backend = backend();
        plant(backend.fileFor(KEY));
        backend.touch(KEY, HOUR);
        backend.capability(ConditionalWrites.class).orElseThrow().loadVersionedAndTouch(KEY, HOUR);
        assertTargetUntouched();
    }

    @Test
    void aSaveOrACreateReplacesTheLinkNotWhatItPointsTo() throws IOException {
        FileSystemSessionBackend backend = backend();
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        plant(backend.fileFor(KEY));
        assertTrue(writes.create(KEY, bytes("created"), HOUR), "a link was taken for a live session");
        assertFalse(isLink(backend.fileFor(KEY)));
        assertArrayEquals(bytes("created"), backend.load(KEY));

        Files.delete(backend.fileFor(KEY));
        plant(backend.fileFor(KEY));
        backend.save(KEY, bytes("saved"), HOUR);
        assertFalse(isLink(backend.fileFor(KEY)));
        assertArrayEquals(bytes("saved"), backend.load(KEY));
        assertTargetUntouched();
    }

    @Test
    void aDeleteRemovesTheLinkOnly() throws IOException {
        FileSystemSessionBackend backend = backend();
        plant(backend.fileFor(KEY));
        backend.delete(KEY);
        assertFalse(Files.exists(backend.fileFor(KEY), LinkOption.NOFOLLOW_LINKS));
        assertTargetUntouched();
    }

    @Test
    void theCleanupAndPruningRemoveLinksUnderEveryNameTheStoreUses() throws IOException {
        FileSystemSessionBackend backend = backend();
        Path sessionLink = plant(backend.fileFor(KEY));
        Path lockLink = plant(directory.resolve(backend.fileFor("session:other").getFileName().toString().replace(".session", ".lock")));
        Path tempLink = plant(directory.resolve(SessionFileDirectory.TEMP_PREFIX + "1234567890"));
        backend.save("session:live", bytes("live"), HOUR);

        backend.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired();
        for (Path link : List.of(sessionLink, lockLink, tempLink)) {
            assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), link + " is still there");
        }
        plant(sessionLink);
        plant(tempLink);
        assertEquals(1, backend.prune(), "pruning counted a link as a session");
        assertFalse(Files.exists(sessionLink, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tempLink, LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(bytes("live"), backend.load("session:live"));
        assertTargetUntouched();
    }

    @Test
    void aLinkUnderALockFileNameIsTakenOverNotFollowed() throws IOException {
        FileSystemSessionBackend backend = backend();
        SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
        String lockName = backend.fileFor(KEY).getFileName().toString().replace(".session", ".lock");
        plant(directory.resolve(lockName));
        assertTrue(locks.tryLock(KEY, "holder", HOUR));
        assertFalse(isLink(directory.resolve(lockName)));
        assertFalse(locks.tryLock(KEY, "other", HOUR));
        locks.unlock(KEY, "holder");
        assertTargetUntouched();
    }

    @Test
    void aLinkAsTheDirectoryLockFileIsRefusedAtStartUp() throws IOException {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path absent = root.resolve("outside").resolve("created-by-the-store");
        Files.createSymbolicLink(directory.resolve(DirectoryLockFile.NAME), absent);
        SessionConfigException error = assertThrows(SessionConfigException.class, this::backend);
        assertTrue(error.getMessage().contains(DirectoryLockFile.NAME), error.getMessage());
        assertFalse(Files.exists(absent, LinkOption.NOFOLLOW_LINKS), "the store created a file through the link");
    }

    @Test
    void aLinkAsThePrincipalIndexDirectoryIsNeverFollowed() throws IOException {
        FileSystemSessionBackend backend = backend();
        PrincipalIndex index = backend.capability(PrincipalIndex.class).orElseThrow();
        backend.save(KEY, bytes("{}"), HOUR);
        index.assign(KEY, null, "alice", HOUR);
        // The same principal directory and marker outside, and the index directory replaced by a link to there.
        Path principals = directory.resolve(SessionFileDirectory.PRINCIPALS);
        Path outside = Files.createDirectory(root.resolve("outside-index"));
        Path outsideMarker;
        try (Stream<Path> markers = Files.walk(principals)) {
            Path marker = markers.filter(Files::isRegularFile).findFirst().orElseThrow();
            outsideMarker = outside.resolve(principals.relativize(marker));
            Files.createDirectories(outsideMarker.getParent());
            Files.move(marker, outsideMarker);
            Files.delete(marker.getParent());
        }
        Files.delete(principals);
        Files.createSymbolicLink(principals, outside);

        assertEquals(List.of(), index.entriesOf("alice"), "markers were read through the link");
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> index.assign(KEY, "alice", "bob", HOUR));
        assertTrue(error.getMessage().contains(SessionFileDirectory.PRINCIPALS), error.getMessage());
        backend.delete(KEY);
        backend.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired();
        assertTrue(Files.exists(outsideMarker), "a marker was deleted through the link");
        try (Stream<Path> files = Files.walk(outside)) {
            assertEquals(3, files.count(), "something was created through the link");
        }
        assertTrue(isLink(principals));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
