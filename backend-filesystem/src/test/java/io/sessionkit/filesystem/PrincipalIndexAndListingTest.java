package io.sessionkit.filesystem;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.Race;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The filesystem store's {@link PrincipalIndex} and {@link SessionListing} beyond the contract
 * kit's sections (which run in {@link FileSystemContractTest}): the header that names a session
 * file's key and principal, files of the previous release without one, the markers under
 * {@code .principals}, and what every write path does to the principal. Across processes:
 * {@link SharedDirectoryAcrossProcessesTest}.
 */
class PrincipalIndexAndListingTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final String PREFIX = "session:";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<FileSystemSessionBackend> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FileSystemSessionBackend::close);
    }

    private FileSystemSessionBackend backend() {
        FileSystemSessionBackend backend = (FileSystemSessionBackend) BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).clock(clock).build());
        opened.add(backend);
        return backend;
    }

    private static <C> C capability(FileSystemSessionBackend backend, Class<C> type) {
        return backend.capability(type).orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> keysOf(FileSystemSessionBackend backend, String principal) {
        Set<String> keys = new HashSet<>();
        for (ListedEntry entry : capability(backend, PrincipalIndex.class).entriesOf(principal)) {
            keys.add(entry.key());
        }
        return keys;
    }

    private static Set<String> listed(FileSystemSessionBackend backend) {
        Set<String> keys = new HashSet<>();
        String cursor = null;
        do {
            ListedPage page = capability(backend, SessionListing.class).list(PREFIX, cursor, 3);
            page.entries().forEach(entry -> assertTrue(keys.add(entry.key()), "listed twice: " + entry.key()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return keys;
    }

    /** Writes a session file as the previous release did: the value alone, its expiry as the file's time. */
    private Path previousReleaseFile(FileSystemSessionBackend backend, String key, byte[] value) throws IOException {
        Path file = backend.fileFor(key);
        Files.write(file, value);
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().plus(HOUR)));
        return file;
    }

    private Path markersDirectoryOf(String principal) {
        return new SessionFileDirectory(directory, null, null).principalDirectory(principal);
    }

    private Set<Path> markers() throws IOException {
        Path principals = directory.resolve(SessionFileDirectory.PRINCIPALS);
        if (!Files.exists(principals)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(principals)) {
            return new HashSet<>(files.filter(Files::isRegularFile).toList());
        }
    }

    @Nested
    @DisplayName("the session file's header")
    class Header {

        @Test
        @DisplayName("a session file starts with the magic, names its lifetime, key and principal, then holds the value as saved")
        void layout() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "a", bytes("{\"v\":1}"), HOUR);
            capability(backend, PrincipalIndex.class).assign(PREFIX + "a", null, "alice", HOUR);
            byte[] file = Files.readAllBytes(backend.fileFor(PREFIX + "a"));
            byte[] header = SessionFileFormat.header(PREFIX + "a", "alice", HOUR);
            assertArrayEquals(SessionFileFormat.MAGIC, Arrays.copyOf(file, SessionFileFormat.MAGIC.length));
            assertArrayEquals(header, Arrays.copyOf(file, header.length));
            assertArrayEquals(bytes("{\"v\":1}"), Arrays.copyOfRange(file, header.length, file.length));
            assertArrayEquals(bytes("{\"v\":1}"), backend.load(PREFIX + "a"));
        }

        @Test
        @DisplayName("the version is the digest of the value: giving the session a principal keeps it")
        void versionIgnoresTheHeader() {
            FileSystemSessionBackend backend = backend();
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            assertTrue(writes.create(PREFIX + "a", bytes("value"), HOUR));
            long version = writes.loadVersioned(PREFIX + "a").version();
            assertEquals(SessionFileDirectory.version(bytes("value")), version);
            capability(backend, PrincipalIndex.class).assign(PREFIX + "a", null, "alice", HOUR);
            assertEquals(version, writes.loadVersioned(PREFIX + "a").version());
            assertTrue(writes.replace(PREFIX + "a", version, bytes("next"), HOUR), "a replace naming the version read before");
        }

        @Test
        @DisplayName("keys and principals of any text, unpaired surrogates and 256 characters included, read back equal")
        void anyText() {
            FileSystemSessionBackend backend = backend();
            String principal = "\uD800 ä/..\\:*?\u0000" + "x".repeat(246);
            String key = PREFIX + "\uDFFF\u0000/../k";
            backend.save(key, bytes("v"), HOUR);
            capability(backend, PrincipalIndex.class).assign(key, null, principal, HOUR);
            assertEquals(Set.of(key), keysOf(backend, principal));
            assertEquals(Set.of(), keysOf(backend, "\uDBFF ä/..\\:*?\u0000" + "x".repeat(246)), "another unpaired surrogate");
            assertEquals(Set.of(key), listed(backend));
        }

        @Test
        @DisplayName("a file of a newer format version reads as no session, is not listed, and a save replaces it")
        void newerFormatVersion() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "a", bytes("value"), HOUR);
            Path file = backend.fileFor(PREFIX + "a");
            byte[] content = Files.readAllBytes(file);
            content[SessionFileFormat.MAGIC.length] = 3;
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(clock.instant().plus(HOUR)));
            assertNull(backend.load(PREFIX + "a"));
            assertNull(capability(backend, ConditionalWrites.class).loadVersioned(PREFIX + "a"));
            assertEquals(0, capability(backend, SessionListing.class).count(PREFIX));
            backend.save(PREFIX + "a", bytes("saved again"), HOUR);
            assertArrayEquals(bytes("saved again"), backend.load(PREFIX + "a"));
        }

        @Test
        @DisplayName("a file cut short inside its header reads as no session")
        void truncatedHeader() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "a", bytes("value"), HOUR);
            Path file = backend.fileFor(PREFIX + "a");
            Files.write(file, Arrays.copyOf(Files.readAllBytes(file), SessionFileFormat.MAGIC.length + 3));
            Files.setLastModifiedTime(file, FileTime.from(clock.instant().plus(HOUR)));
            assertNull(backend.load(PREFIX + "a"));
            assertEquals(0, capability(backend, SessionListing.class).count(PREFIX));
        }

        @Test
        @DisplayName("a header longer than the first read (a long key) is read whole")
        void longKey() {
            FileSystemSessionBackend backend = backend();
            String key = PREFIX + "k".repeat(10_000);
            backend.save(key, bytes("value"), HOUR);
            capability(backend, PrincipalIndex.class).assign(key, null, "alice", HOUR);
            backend.save(key, bytes("saved again"), HOUR);
            assertEquals(Set.of(key), keysOf(backend, "alice"));
            assertEquals(Set.of(key), listed(backend));
            assertArrayEquals(bytes("saved again"), backend.load(key));
        }

        @Test
        @DisplayName("a session file copied under another key's name is neither listed nor counted as that key")
        void copiedFile() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "a", bytes("value"), HOUR);
            capability(backend, PrincipalIndex.class).assign(PREFIX + "a", null, "alice", HOUR);
            Path copy = backend.fileFor(PREFIX + "b");
            Files.copy(backend.fileFor(PREFIX + "a"), copy);
            // As if the index named the copy too.
            Files.createFile(markersDirectoryOf("alice").resolve(copy.getFileName().toString()
                    .substring(0, SessionFileDirectory.HASH_LENGTH)));
            assertEquals(1, capability(backend, SessionListing.class).count(PREFIX));
            assertEquals(Set.of(PREFIX + "a"), listed(backend));
            assertEquals(Set.of(PREFIX + "a"), keysOf(backend, "alice"));
        }
    }

    @Nested
    @DisplayName("files of the previous release, without a header")
    class PreviousRelease {

        @Test
        @DisplayName("load, with the version of their bytes, and are neither counted nor listed")
        void loadButAreNotListed() throws IOException {
            FileSystemSessionBackend backend = backend();
            previousReleaseFile(backend, PREFIX + "old", bytes("{\"cart\":[]}"));
            backend.save(PREFIX + "new", bytes("{}"), HOUR);
            assertArrayEquals(bytes("{\"cart\":[]}"), backend.load(PREFIX + "old"));
            VersionedEntry entry = capability(backend, ConditionalWrites.class).loadVersioned(PREFIX + "old");
            assertEquals(SessionFileDirectory.version(bytes("{\"cart\":[]}")), entry.version());
            assertArrayEquals(bytes("{\"cart\":[]}"),
                    capability(backend, ConditionalWrites.class).loadVersionedAndTouch(PREFIX + "old", HOUR).value());
            assertEquals(1, capability(backend, SessionListing.class).count(PREFIX));
            assertEquals(Set.of(PREFIX + "new"), listed(backend));
        }

        @Test
        @DisplayName("a blind save, or a conditional replace of the version read, rewrites them with a header: then they are listed")
        void saveGivesThemAHeader() throws IOException {
            FileSystemSessionBackend backend = backend();
            previousReleaseFile(backend, PREFIX + "blind", bytes("one"));
            Path replaced = previousReleaseFile(backend, PREFIX + "replaced", bytes("two"));
            backend.save(PREFIX + "blind", bytes("one again"), HOUR);
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            long version = writes.loadVersioned(PREFIX + "replaced").version();
            assertTrue(writes.replace(PREFIX + "replaced", version, bytes("two again"), HOUR));
            assertArrayEquals(SessionFileFormat.MAGIC, Arrays.copyOf(Files.readAllBytes(replaced), SessionFileFormat.MAGIC.length));
            assertEquals(Set.of(PREFIX + "blind", PREFIX + "replaced"), listed(backend));
            assertArrayEquals(bytes("two again"), backend.load(PREFIX + "replaced"));
        }

        @Test
        @DisplayName("given a principal, one gets a header with its key and principal and the same value, expiry and last use")
        void assignGivesThemAHeader() throws IOException {
            FileSystemSessionBackend backend = backend();
            Path file = previousReleaseFile(backend, PREFIX + "old", bytes("value"));
            FileTime expiry = Files.getLastModifiedTime(file);
            capability(backend, PrincipalIndex.class).assign(PREFIX + "old", null, "alice", HOUR);
            assertEquals(Set.of(PREFIX + "old"), keysOf(backend, "alice"));
            assertEquals(expiry, Files.getLastModifiedTime(file), "the expiry stays the file's");
            assertArrayEquals(bytes("value"), backend.load(PREFIX + "old"));
            assertEquals(Set.of(PREFIX + "old"), listed(backend));
        }
    }

    @Nested
    @DisplayName("every write path and the principal")
    class WritePaths {

        @Test
        @DisplayName("a blind save, a replace, a touch and a read that touches keep the principal")
        void writesKeepIt() {
            FileSystemSessionBackend backend = backend();
            String key = PREFIX + "a";
            backend.save(key, bytes("v1"), HOUR);
            capability(backend, PrincipalIndex.class).assign(key, null, "alice", HOUR);
            backend.save(key, bytes("v2"), HOUR);
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("v3"), HOUR));
            backend.touch(key, HOUR.multipliedBy(2));
            writes.loadVersionedAndTouch(key, HOUR.multipliedBy(3));
            List<ListedEntry> entries = capability(backend, PrincipalIndex.class).entriesOf("alice");
            assertEquals(1, entries.size());
            assertArrayEquals(bytes("v3"), entries.get(0).value());
            assertEquals(clock.instant().plus(HOUR.multipliedBy(3)), entries.get(0).expiresAt());
        }

        @Test
        @DisplayName("a new session written over an expired file of the same key, blindly or by create, has no principal")
        void newSessionsDoNotInheritIt() {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            backend.save(PREFIX + "blind", bytes("old"), Duration.ofMinutes(1));
            backend.save(PREFIX + "created", bytes("old"), Duration.ofMinutes(1));
            index.assign(PREFIX + "blind", null, "alice", Duration.ofMinutes(1));
            index.assign(PREFIX + "created", null, "alice", Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            backend.save(PREFIX + "blind", bytes("new"), HOUR);
            assertTrue(capability(backend, ConditionalWrites.class).create(PREFIX + "created", bytes("new"), HOUR));
            assertEquals(Set.of(), keysOf(backend, "alice"));
            assertEquals(Set.of(PREFIX + "blind", PREFIX + "created"), listed(backend), "the new sessions are live");
        }

        @Test
        @DisplayName("a blind delete and a conditional delete take the session's marker with them")
        void deletesRemoveTheMarker() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            for (String key : List.of(PREFIX + "a", PREFIX + "b")) {
                backend.save(key, bytes("v"), HOUR);
                index.assign(key, null, "alice", HOUR);
            }
            assertEquals(2, markers().size());
            backend.delete(PREFIX + "a");
            assertTrue(writes.delete(PREFIX + "b", writes.loadVersioned(PREFIX + "b").version()));
            assertEquals(Set.of(), markers());
        }

        @Test
        @DisplayName("a change of principal moves the marker; assigning none removes it; the header follows")
        void changeOfPrincipal() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            backend.save(PREFIX + "a", bytes("v"), HOUR);
            index.assign(PREFIX + "a", null, "alice", HOUR);
            Set<Path> alices = markers();
            index.assign(PREFIX + "a", "alice", "bob", HOUR);
            Set<Path> bobs = markers();
            assertEquals(1, bobs.size());
            assertNotEquals(alices, bobs);
            assertEquals(Set.of(PREFIX + "a"), keysOf(backend, "bob"));
            index.assign(PREFIX + "a", "bob", null, HOUR);
            assertEquals(Set.of(), markers());
            assertEquals(Set.of(), keysOf(backend, "bob"));
            byte[] header = SessionFileFormat.header(PREFIX + "a", null, HOUR);
            assertArrayEquals(header, Arrays.copyOf(Files.readAllBytes(backend.fileFor(PREFIX + "a")), header.length));
        }

        @Test
        @DisplayName("assigning to an absent or expired session does nothing")
        void absentSession() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            index.assign(PREFIX + "absent", null, "alice", HOUR);
            backend.save(PREFIX + "expired", bytes("v"), Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            index.assign(PREFIX + "expired", null, "alice", HOUR);
            assertEquals(Set.of(), markers());
            assertFalse(Files.exists(backend.fileFor(PREFIX + "absent")));
        }

        @Test
        @DisplayName("the principal of a session saved over and over while it is assigned again and again is the last one assigned")
        void savesRacingAssignments() throws Exception {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            String key = PREFIX + "raced";
            backend.save(key, bytes("v"), HOUR);
            for (int round = 0; round < 30; round++) {
                String principal = "user-" + round;
                String previous = round == 0 ? null : "user-" + (round - 1);
                Race.winners(2, contender -> () -> {
                    if (contender == 0) {
                        for (int i = 0; i < 5; i++) {
                            backend.save(key, bytes("v" + i), HOUR);
                        }
                    } else {
                        index.assign(key, previous, principal, HOUR);
                    }
                    return true;
                });
                assertEquals(Set.of(key), keysOf(backend, principal), "round " + round);
                if (previous != null) {
                    assertEquals(Set.of(), keysOf(backend, previous), "round " + round);
                }
            }
        }
    }

    @Nested
    @DisplayName("markers under .principals")
    class Markers {

        @Test
        @DisplayName("the index survives a restart: a new backend on the directory lists the same sessions")
        void survivesARestart() {
            FileSystemSessionBackend first = backend();
            first.save(PREFIX + "a", bytes("a"), HOUR);
            first.save(PREFIX + "b", bytes("b"), HOUR);
            capability(first, PrincipalIndex.class).assign(PREFIX + "a", null, "alice", HOUR);
            capability(first, PrincipalIndex.class).assign(PREFIX + "b", null, "alice", HOUR);
            first.close();
            FileSystemSessionBackend second = backend();
            assertEquals(Set.of(PREFIX + "a", PREFIX + "b"), keysOf(second, "alice"));
            assertEquals(Set.of(PREFIX + "a", PREFIX + "b"), listed(second));
        }

        @Test
        @DisplayName("markers of expired, pruned and externally deleted sessions are trimmed when the principal's sessions are read")
        void trimmedOnRead() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            for (String key : List.of(PREFIX + "live", PREFIX + "expiring", PREFIX + "removed")) {
                backend.save(key, bytes("v"), key.endsWith("expiring") ? Duration.ofMinutes(1) : HOUR);
                index.assign(key, null, "alice", HOUR);
            }
            Files.delete(backend.fileFor(PREFIX + "removed"));
            clock.advance(Duration.ofMinutes(2));
            assertEquals(3, markers().size());
            assertEquals(Set.of(PREFIX + "live"), keysOf(backend, "alice"));
            assertEquals(1, markers().size());
        }

        @Test
        @DisplayName("the clean-up deletes markers of gone or expired sessions and empty principal directories, and keeps the rest")
        void cleanedUp() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            backend.save(PREFIX + "bob", bytes("v"), HOUR);
            index.assign(PREFIX + "bob", null, "bob", HOUR);
            backend.save(PREFIX + "alice", bytes("v"), Duration.ofMinutes(1));
            index.assign(PREFIX + "alice", null, "alice", HOUR);
            backend.save(PREFIX + "carol", bytes("v"), HOUR);
            index.assign(PREFIX + "carol", null, "carol", HOUR);
            Files.delete(backend.fileFor(PREFIX + "carol"));
            clock.advance(Duration.ofMinutes(2));
            assertEquals(1, capability(backend, ExpiredSessionCleanup.class).deleteExpired());
            assertEquals(1, markers().size());
            try (Stream<Path> principals = Files.list(directory.resolve(SessionFileDirectory.PRINCIPALS))) {
                assertEquals(1, principals.count(), "the directories of alice and carol, empty, are gone");
            }
            assertEquals(Set.of(PREFIX + "bob"), keysOf(backend, "bob"));
        }

        @Test
        @DisplayName("a marker directory removed between reads is recreated by the next assignment")
        void recreated() throws IOException {
            FileSystemSessionBackend backend = backend();
            PrincipalIndex index = capability(backend, PrincipalIndex.class);
            backend.save(PREFIX + "a", bytes("v"), HOUR);
            backend.save(PREFIX + "b", bytes("v"), HOUR);
            index.assign(PREFIX + "a", null, "alice", HOUR);
            index.assign(PREFIX + "a", "alice", null, HOUR);
            capability(backend, ExpiredSessionCleanup.class).deleteExpired();
            assertFalse(Files.exists(markersDirectoryOf("alice")));
            index.assign(PREFIX + "b", null, "alice", HOUR);
            assertEquals(Set.of(PREFIX + "b"), keysOf(backend, "alice"));
        }
    }

    @Nested
    @DisplayName("what is listed")
    class Listing {

        @Test
        @DisplayName("lock files, temporary files, markers, the lock file and foreign files are never counted or listed")
        void onlySessionFiles() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "a", bytes("v"), HOUR);
            capability(backend, PrincipalIndex.class).assign(PREFIX + "a", null, "alice", HOUR);
            assertTrue(capability(backend, SessionLocks.class).tryLock(PREFIX + "a", "token", HOUR));
            assertTrue(capability(backend, SessionLocks.class).tryLock(PREFIX + "unsaved", "token", HOUR));
            new SessionFileDirectory(directory, null, null).writeSessionTemp(PREFIX + "temp", null, bytes("v"),
                    clock.instant().plus(HOUR), HOUR, FileTime.from(clock.instant()));
            Files.writeString(directory.resolve("README"), "not a session");
            Files.writeString(directory.resolve("ABCDEF" + "0".repeat(58) + ".session"), "upper case: not a name of the store's");
            assertEquals(1, capability(backend, SessionListing.class).count(PREFIX));
            assertEquals(Set.of(PREFIX + "a"), listed(backend));
        }

        @Test
        @DisplayName("counting, listing, giving a principal and listing a principal's sessions are no use: a session never reused stays marked so")
        void noUse() throws IOException {
            FileSystemSessionBackend backend = backend();
            backend.save(PREFIX + "new", bytes("v"), HOUR);
            Path file = backend.fileFor(PREFIX + "new");
            assertEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file));
            capability(backend, PrincipalIndex.class).assign(PREFIX + "new", null, "alice", HOUR);
            assertEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file), "after assign");
            assertEquals(1, capability(backend, SessionListing.class).count(PREFIX));
            assertEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file), "after count");
            assertEquals(Set.of(PREFIX + "new"), listed(backend));
            assertEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file), "after list");
            assertEquals(Set.of(PREFIX + "new"), keysOf(backend, "alice"));
            assertEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file), "after entriesOf");
            assertNotNull(backend.load(PREFIX + "new"));
            assertNotEquals(SessionFileDirectory.NEVER_REUSED, lastAccess(file), "a load is a use");
        }

        private FileTime lastAccess(Path file) throws IOException {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).lastAccessTime();
        }

        @Test
        @DisplayName("pages follow the files' names; the cursor is the last name of the page")
        void pagesByName() {
            FileSystemSessionBackend backend = backend();
            for (int i = 0; i < 10; i++) {
                backend.save(PREFIX + i, bytes("v" + i), HOUR);
            }
            SessionListing listing = capability(backend, SessionListing.class);
            ListedPage first = listing.list(PREFIX, null, 4);
            assertEquals(4, first.entries().size());
            List<String> names = first.entries().stream().map(entry -> backend.fileFor(entry.key()).getFileName().toString()).toList();
            assertEquals(names.stream().sorted().toList(), names);
            assertEquals("fs1:" + names.get(3).substring(0, SessionFileDirectory.HASH_LENGTH), first.nextCursor());
            // A session deleted before the walk reaches it is not listed; one listed already is not listed again.
            backend.delete(first.entries().get(0).key());
            Set<String> rest = new HashSet<>();
            String cursor = first.nextCursor();
            while (cursor != null) {
                ListedPage page = listing.list(PREFIX, cursor, 4);
                page.entries().forEach(entry -> rest.add(entry.key()));
                cursor = page.nextCursor();
            }
            assertEquals(6, rest.size());
            first.entries().forEach(entry -> assertFalse(rest.contains(entry.key())));
        }

        @Test
        @DisplayName("a cursor that is not fs1: and 64 lowercase hex digits is refused, naming it")
        void foreignCursors() {
            SessionListing listing = capability(backend(), SessionListing.class);
            for (String cursor : List.of("", "fs1:", "fs1:" + "g".repeat(64), "fs1:" + "A".repeat(64), "fs2:" + "a".repeat(64),
                    "fs1:" + "a".repeat(63), "fs1:" + "a".repeat(65))) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> listing.list(PREFIX, cursor, 5));
                assertTrue(error.getMessage().contains("'" + cursor + "'"), error.getMessage());
            }
            assertEquals(List.of(), listing.list(PREFIX, "fs1:" + "f".repeat(64), 5).entries());
        }
    }
}
