package io.sessionkit.bench.jmh;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One cart request's session work on the filesystem store, beside the raw file operations a
 * hand-written store would need at least: read the file, write a temporary file, rename it over
 * the old one (atomic replace). The store also keeps the expiry in the file's modification time
 * and sets the file mode, which the raw variant leaves out; the ratio shows their cost too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileSystemCycleBenchmark {

    private Path directory;
    private SessionInterface sessions;
    private String cookie;
    private Path rawFile;
    private byte[] rawValue;

    @Setup(Level.Trial)
    public void start() throws IOException {
        directory = Files.createTempDirectory("bench-fs-");
        sessions = SessionInterface.create(SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "filesystem")
                .set("SESSION_FILE_DIR", directory.resolve("sessions").toString())
                .build());
        Session session = sessions.open(null);
        session.put(Cart.ATTRIBUTE, Cart.full());
        sessions.save(session);
        cookie = session.id();

        Files.createDirectories(directory.resolve("raw"));
        rawFile = directory.resolve("raw").resolve("session");
        rawValue = new JsonSessionSerializer().serialize(new SessionRecord(Map.of(Cart.ATTRIBUTE, Cart.full()), true));
        Files.write(rawFile, rawValue);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (sessions != null) {
            sessions.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Benchmark
    public SaveResult sessionKitCartCycle() {
        Session session = sessions.open(cookie);
        session.put(Cart.ATTRIBUTE, Cart.withOneMore((List<?>) session.get(Cart.ATTRIBUTE)));
        return sessions.save(session);
    }

    @Benchmark
    public byte[] filesReadAndAtomicWrite() throws IOException {
        byte[] stored = Files.readAllBytes(rawFile);
        Path temp = Files.createTempFile(rawFile.getParent(), ".tmp-", null);
        Files.write(temp, rawValue);
        Files.move(temp, rawFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return stored;
    }
}
