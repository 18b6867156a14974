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
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.OpenOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One cart request's session work on the filesystem store, beside the least a hand-written file
 * store needs to replace a session atomically: read the file, create a temporary file with its
 * permissions (one {@code open} with {@code O_CREAT|O_EXCL} and the mode), write the bytes,
 * rename it over the old one. The store also keeps the expiry (the file's modification time plus
 * the lifetime in its header, refreshed on the read), the key and principal in a header, a version
 * check under a lock shared with other processes, which the hand-written mode leaves out; the
 * ratio shows what they cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileSystemCycleBenchmark {

    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_WRITE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private Path directory;
    private SessionInterface sessions;
    private String cookie;
    private SessionInterface throttledSessions;
    private String throttledCookie;
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

        // SESSION_REFRESH_MIN_INTERVAL longer than the run: the read does not set the expiry that the save sets anyway.
        throttledSessions = SessionInterface.create(SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "filesystem")
                .set("SESSION_FILE_DIR", directory.resolve("throttled").toString())
                .set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, "PT5M")
                .build());
        Session throttled = throttledSessions.open(null);
        throttled.put(Cart.ATTRIBUTE, Cart.full());
        throttledSessions.save(throttled);
        throttledCookie = throttled.id();

        Files.createDirectories(directory.resolve("raw"));
        rawFile = directory.resolve("raw").resolve("session");
        rawValue = new JsonSessionSerializer().serialize(new SessionRecord(Map.of(Cart.ATTRIBUTE, Cart.full()), true));
        Files.write(rawFile, rawValue);
        Files.setPosixFilePermissions(rawFile, PosixFilePermissions.fromString("rw-------"));
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (sessions != null) {
            sessions.close();
        }
        if (throttledSessions != null) {
            throttledSessions.close();
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
        Cart.addOneTo(session, Cart.MAX_ITEMS);
        return sessions.save(session);
    }

    /** The same with {@code SESSION_REFRESH_MIN_INTERVAL=PT5M}: the read leaves the file's times alone. */
    @Benchmark
    public SaveResult sessionKitCartCycleThrottledRefresh() {
        Session session = throttledSessions.open(throttledCookie);
        Cart.addOneTo(session, Cart.MAX_ITEMS);
        return throttledSessions.save(session);
    }

    /** The hand-written file mode: read, create the temporary file with its mode, write, rename. */
    @Benchmark
    public byte[] handWrittenReadAndAtomicWrite() throws IOException {
        byte[] stored = Files.readAllBytes(rawFile);
        Path temp = rawFile.resolveSibling(".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try (SeekableByteChannel channel = Files.newByteChannel(temp, CREATE_NEW, OWNER_READ_WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(rawValue);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        Files.move(temp, rawFile, StandardCopyOption.ATOMIC_MOVE);
        return stored;
    }
}
