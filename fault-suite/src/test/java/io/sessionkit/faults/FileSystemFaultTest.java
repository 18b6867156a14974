package io.sessionkit.faults;

import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filesystem store on a 2 MiB tmpfs that a filler file fills under load: saves fail with
 * {@code ENOSPC}, which the filter answers with {@code 503} and logs; no session file is left
 * truncated (each is written to a temporary file and renamed), and saves succeed again once the
 * filler is deleted.
 */
@Tag("fault")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FileSystemFaultTest {

    private static final long DISK_SIZE = 2 * 1024 * 1024;
    private static final byte[] HEADER_MAGIC = {0x00, 'S', 'K', 'F', '\r', '\n', 0x1A, '\n'};

    private SmallTmpfs disk;

    @BeforeEach
    void mountDisk() throws IOException {
        disk = SmallTmpfs.mount(DISK_SIZE);
    }

    @AfterEach
    void unmountDisk() throws IOException {
        disk.close();
    }

    @Test
    @DisplayName("a full disk under load: 503 and a log line while full, every session file decodes, service back")
    void diskFull() throws Exception {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", disk.root().toString());
        ScenarioResult result = new FaultScenario("filesystem, 2 MiB tmpfs", config)
                .logSampleContaining("No space left on device")
                .run(new DiskFull(disk.root().resolve("filler"), Duration.ofSeconds(8)));
        FaultReport.record(result);
        result.assertNothingLost();
        assertEquals(List.of(), undecodableSessionFiles(disk.root()), "session files that do not decode");
        assertEquals(List.of(), leftoverTemporaryFiles(disk.root()), "temporary files left behind");
    }

    private static List<String> undecodableSessionFiles(Path directory) throws IOException {
        JsonSessionSerializer serializer = new JsonSessionSerializer();
        List<String> bad = new ArrayList<>();
        int decoded = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".session")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                try {
                    serializer.deserialize(valueOf(bytes));
                    decoded++;
                } catch (RuntimeException | IOException e) {
                    bad.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(decoded >= FaultScenario.CLIENTS, "only " + decoded + " session files decoded");
        return bad;
    }

    /**
     * The session's bytes in a session file: after the header (magic, format version, the lifetime
     * in version 2, key, principal) that docs/backends/filesystem.md describes. A header cut short
     * fails to decode.
     */
    private static byte[] valueOf(byte[] file) throws IOException {
        if (file.length < HEADER_MAGIC.length || !Arrays.equals(HEADER_MAGIC, Arrays.copyOf(file, HEADER_MAGIC.length))) {
            return file;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, HEADER_MAGIC.length, file.length));
        if (in.readByte() == 2) {
            in.readLong(); // lifetime
        }
        in.readUTF(); // key
        if (in.readBoolean()) {
            in.readUTF(); // principal
        }
        return in.readAllBytes();
    }

    private static List<String> leftoverTemporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(".tmp-")).toList();
        }
    }
}
