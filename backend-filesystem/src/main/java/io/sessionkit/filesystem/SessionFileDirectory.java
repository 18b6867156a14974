package io.sessionkit.filesystem;

import io.sessionkit.SessionBackendException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The directory of session files as the store and its capabilities see it: which file holds a
 * key (and which file holds its lock, and which directory a principal's index markers), which
 * files are session files, what a session file's header says ({@link SessionFileFormat}), when
 * each expires (its last-modified time plus the lifetime its header names) and when it was last
 * used (its last-access time,
 * {@link #NEVER_REUSED} until the session is used after the write that created it), how a file is
 * written (a temporary file renamed over it, keeping the principal of the file it replaces) and
 * read with its version, the {@link DirectoryLockFile} that makes a check and a write one step,
 * and how a failure is reported.
 *
 * <p>No operation follows a symbolic link: files are opened with {@link LinkOption#NOFOLLOW_LINKS}
 * (temporary files are created with {@code CREATE_NEW}, which does not follow one either), times
 * and modes are set on the link itself if one was planted meanwhile, and a link under a name the
 * store uses reads as no file. Renames and deletes act on the link, never on what it points to.
 *
 * <p>Thread-safe; other processes may use the same directory at once.
 */
final class SessionFileDirectory implements AutoCloseable {

    static final String SUFFIX = ".session";
    static final String LOCK_SUFFIX = ".lock";
    static final String TEMP_PREFIX = ".tmp-";
    /** The directory of the principal index, {@link FileSystemPrincipalIndex}. */
    static final String PRINCIPALS = ".principals";
    static final int HASH_LENGTH = 64;
    // Enough for the header of every session file whose key and principal are of a usual length.
    private static final int HEADER_READ = 4096;
    // The first read of a whole session file: most are smaller (a cart and a login: under 1 KiB).
    // Larger buffers cost more to allocate and clear than the system call they might save.
    private static final int FIRST_READ = 4096;
    // A temporary file this old was left by a crashed writer.
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofHours(1);
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(SessionFileDirectory::newSha256);
    private static final SecureRandom TEMP_NAMES = new SecureRandom();
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /**
     * The last-access time of a session file that no request has used since the write that
     * created it: the Unix epoch, a time no read sets. A read sets the current time (the kernel
     * does, or the store when the file system keeps no access times), as do a touch and every
     * later write.
     */
    static final FileTime NEVER_REUSED = FileTime.fromMillis(0);

    /** How stale a recorded last use may be before a read that does not touch the file renews it. */
    static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    private final Path path;
    private final Set<PosixFilePermission> permissions;
    private final boolean umaskNarrowsMode;
    private final boolean kernelTimes;
    private final DirectoryLockFile lockFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param path        the directory, absolute, which exists and is writable
     * @param permissions what new files get, or {@code null} where the file system has no POSIX
     *                    permissions
     * @param lockFile    the directory's lock file, closed by {@link #close()}
     */
    SessionFileDirectory(Path path, Set<PosixFilePermission> permissions, DirectoryLockFile lockFile) {
        this(path, permissions, true, false, lockFile);
    }

    /**
     * @param umaskNarrowsMode whether the process's umask takes bits off {@code permissions} when
     *                         a file is created with them ({@link #umaskNarrows}), so that each
     *                         new file's mode must be set again after its creation
     * @param kernelTimes      whether the store's clock is the system's ({@link #keepsKernelTime}),
     *                         so that the times the kernel gives a file it writes are the store's
     *                         now, and {@link #writeSessionTempUsedNow} need not set them
     */
    SessionFileDirectory(Path path, Set<PosixFilePermission> permissions, boolean umaskNarrowsMode, boolean kernelTimes,
                         DirectoryLockFile lockFile) {
        this.path = path;
        this.permissions = permissions;
        this.umaskNarrowsMode = umaskNarrowsMode;
        this.kernelTimes = kernelTimes;
        this.lockFile = lockFile;
    }

    /**
     * @return whether {@code clock} tells the system's time, in any zone, which is the time the
     *         kernel gives the files it writes; a clock of tests, or one offset, does not
     */
    static boolean keepsKernelTime(Clock clock) {
        return clock.getClass() == Clock.systemUTC().getClass();
    }

    /**
     * Creates a probe file in {@code directory} with {@code permissions}, as every new file is
     * created, and says whether it got fewer: the umask is applied to the mode given at creation.
     * Java has no call to change a process's umask, so one probe at start-up holds for the life of
     * the store.
     *
     * @return whether new files need their mode set after creation
     */
    static boolean umaskNarrows(Path directory, Set<PosixFilePermission> permissions) throws IOException {
        Path probe = directory.resolve(TEMP_PREFIX + "mode-" + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36));
        Files.newByteChannel(probe, CREATE_NEW, PosixFilePermissions.asFileAttribute(permissions)).close();
        try {
            return !Files.getPosixFilePermissions(probe, NO_FOLLOW).equals(permissions);
        } finally {
            Files.delete(probe);
        }
    }

    Path path() {
        return path;
    }

    /**
     * @return whether the file system of {@code path} has POSIX permissions
     */
    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * @return the file of a store key: the SHA-256 of the key in hex, so never built from
     *         request input and always inside the directory
     */
    Path fileFor(String key) {
        return path.resolve(sha256Hex(key.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }

    /**
     * @return whether {@code name} is a session file's: 64 lowercase hex digits and
     *         {@value #SUFFIX}
     */
    static boolean isSessionFileName(String name) {
        return name.length() == HASH_LENGTH + SUFFIX.length() && name.endsWith(SUFFIX) && isHash(name.substring(0, HASH_LENGTH));
    }

    /** @return whether {@code text} is 64 lowercase hex digits, as the hash in a file name */
    static boolean isHash(String text) {
        if (text.length() != HASH_LENGTH) {
            return false;
        }
        for (int i = 0; i < HASH_LENGTH; i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** @return the session file whose name holds {@code hash}, 64 hex digits */
    Path fileOfHash(String hash) {
        return path.resolve(hash + SUFFIX);
    }

    /** @return the directory of the principal index, {@value #PRINCIPALS} */
    Path principals() {
        return path.resolve(PRINCIPALS);
    }

    /**
     * @return the index directory of a principal: the SHA-256 in hex of its bytes, so that no
     *         name is built from the principal's text
     */
    Path principalDirectory(String principal) {
        return principals().resolve(sha256Hex(SessionFileFormat.principalBytes(principal)));
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(SHA_256.get().digest(bytes));
    }

    /**
     * Creates a directory of the store's own (owner only, where the file system has POSIX
     * permissions) unless it is there. Refuses anything else under its name: a symbolic link is
     * never followed.
     */
    void createDirectoryIfMissing(Path directory) throws IOException {
        try {
            if (permissions == null) {
                Files.createDirectory(directory);
            } else {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
        } catch (FileAlreadyExistsException there) {
            if (!Files.isDirectory(directory, NO_FOLLOW)) {
                throw new FileSystemException(directory.toString(), null, "not a directory (a symbolic link is never followed)");
            }
        }
    }

    /**
     * @return the file that holds the session lock of a key, beside its session file
     */
    Path lockFileFor(String key) {
        String sessionFile = fileFor(key).getFileName().toString();
        return path.resolve(sessionFile.substring(0, HASH_LENGTH) + LOCK_SUFFIX);
    }

    /**
     * The version of a session's value (the bytes after the header), as
     * {@link io.sessionkit.spi.ConditionalWrites} hands it out: the first eight bytes of its
     * SHA-256. It changes whenever the bytes do; a touch (which sets only the last-modified time)
     * and a change of principal (which rewrites only the header) leave it alone.
     */
    static long version(byte[] content) {
        return ByteBuffer.wrap(SHA_256.get().digest(content)).getLong();
    }

    /**
     * Runs {@code work} while holding the lock of {@code file} against the other threads and
     * processes using the directory.
     */
    <T> T locked(Path file, DirectoryLockFile.Work<T> work) throws IOException {
        return lockFile.locked(file, work);
    }

    /**
     * Writes a new temporary file with the store's permissions, {@code content}, {@code expiry} as
     * its last-modified time and {@code lastUse} as its last-access time, ready for
     * {@link #moveOver}. The caller deletes it if it is not moved.
     *
     * @param lastUse {@link #NEVER_REUSED} for a file that creates a session, otherwise now
     * @return the temporary file
     */
    Path writeTemp(byte[] content, Instant expiry, FileTime lastUse) throws IOException {
        return writeTemp(expiry, lastUse, content);
    }

    /**
     * Writes a new session file as a temporary file, as {@link #writeTemp(byte[], Instant, FileTime)}
     * does: a {@link SessionFileFormat} header naming {@code key}, {@code principal} and
     * {@code lifetime}, then {@code value}; its last-modified time is {@code expiry} less
     * {@code lifetime}.
     *
     * @param lifetime the session's time to live; a negative one is written as zero, with the
     *                 expiry as the last-modified time
     */
    Path writeSessionTemp(String key, String principal, byte[] value, Instant expiry, Duration lifetime, FileTime lastUse)
            throws IOException {
        Duration written = lifetime.isNegative() ? Duration.ZERO : lifetime;
        return writeTemp(expiry.minus(written), lastUse, SessionFileFormat.header(key, principal, written), value);
    }

    /**
     * Writes a new session file as a temporary file for a session used now that lives
     * {@code timeToLive} from now. Where the store's clock is the system's, the kernel's time of
     * the write is now: the file's last-modified time stands for now and its last-access time for
     * the last use, as they must, so no time needs setting (which Java does in four system calls).
     * Otherwise, as {@link #writeSessionTemp(String, String, byte[], Instant, Duration, FileTime)}
     * with now plus {@code timeToLive} and now.
     */
    Path writeSessionTempUsedNow(String key, String principal, byte[] value, Instant now, Duration timeToLive)
            throws IOException {
        if (!kernelTimes || timeToLive.isNegative()) {
            return writeSessionTemp(key, principal, value, now.plus(timeToLive), timeToLive, FileTime.from(now));
        }
        return writeTemp(null, null, SessionFileFormat.header(key, principal, timeToLive), value);
    }

    /** @param expiry the file's last-modified time, or {@code null} to leave both times to the kernel */
    private Path writeTemp(Instant expiry, FileTime lastUse, byte[]... content) throws IOException {
        while (true) {
            Path temp = path.resolve(TEMP_PREFIX + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36));
            try {
                createNew(temp, content);
            } catch (FileAlreadyExistsException taken) {
                continue; // a name in use, or something planted there: never opened, try another
            }
            if (expiry == null) {
                return temp;
            }
            try {
                setTimes(temp, FileTime.from(expiry), lastUse);
                return temp;
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                throw e;
            }
        }
    }

    /**
     * Creates {@code file} with {@code content} and the store's permissions, failing if anything
     * (a symbolic link included) is there. The content goes through the descriptor that created
     * the file, so it cannot land anywhere else.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
     */
    void createNew(Path file, byte[]... content) throws IOException {
        // Never broader than the store's mode, even for a moment: created with it, and set again
        // only where the umask narrows it.
        SeekableByteChannel channel = permissions == null ? Files.newByteChannel(file, CREATE_NEW)
                : Files.newByteChannel(file, CREATE_NEW, PosixFilePermissions.asFileAttribute(permissions));
        try (channel) {
            if (permissions != null && umaskNarrowsMode) {
                Files.getFileAttributeView(file, PosixFileAttributeView.class, NO_FOLLOW).setPermissions(permissions);
            }
            write(channel, content);
        } catch (IOException | RuntimeException e) {
            // This call created the file: a write that failed (a full disk) must not leave it behind.
            deleteQuietly(file);
            throw e;
        }
    }

    /** Writes the parts in order: in one {@code writev} where the channel gathers, as a file channel does. */
    private static void write(SeekableByteChannel channel, byte[]... content) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[content.length];
        for (int i = 0; i < content.length; i++) {
            buffers[i] = ByteBuffer.wrap(content[i]);
        }
        if (channel instanceof GatheringByteChannel gathering) {
            while (anyRemaining(buffers)) {
                gathering.write(buffers);
            }
            return;
        }
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static boolean anyRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets a file's last-modified and last-access times in one call, on the file itself (on a
     * symbolic link, the link's own times: what it points to is never changed).
     *
     * @param lastModified the new last-modified time, or {@code null} to keep the file's
     * @param lastAccess   the new last use
     * @throws NoSuchFileException when the file is gone
     */
    static void setTimes(Path file, FileTime lastModified, FileTime lastAccess) throws IOException {
        Files.getFileAttributeView(file, BasicFileAttributeView.class, NO_FOLLOW).setTimes(lastModified, lastAccess, null);
    }

    /**
     * @return the attributes of the file itself, not following a symbolic link, or {@code null}
     *         when there is none
     */
    static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * Writes a session file through a temporary file, keeping the principal of the live file it
     * replaces, all while holding the file's lock: {@code inspection} looks at the current file
     * and says whether to replace it, which principal the new file names and whether a live file
     * was there; {@code writer} then writes the temporary file for that verdict, which is renamed
     * over the file. Writing under the lock (a few small writes) spares a read of the current file
     * before the lock, and a second write when an {@link FileSystemPrincipalIndex#assign} landed
     * between that read and the lock.
     *
     * @return what {@code inspection} said
     */
    Verdict writeLocked(Path target, Inspection inspection, TempWriter writer) throws IOException {
        return locked(target, () -> {
            Verdict verdict = inspection.inspect();
            if (verdict.move()) {
                Path temp = writer.write(verdict);
                try {
                    moveOver(temp, target);
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(temp);
                    throw e;
                }
            }
            return verdict;
        });
    }

    /** Writes the temporary file of {@link #writeLocked} for what the inspection found. */
    @FunctionalInterface
    interface TempWriter {
        Path write(Verdict verdict) throws IOException;
    }

    /** Looks at the current file, holding its lock, for {@link #writeLocked}. */
    @FunctionalInterface
    interface Inspection {
        /** @return whether to write the new file over the current one, and the principal it must name */
        Verdict inspect() throws IOException;
    }

    /**
     * What {@link Inspection} found.
     *
     * @param move      whether the new file replaces the current one
     * @param principal the principal of the current file, which the new one must keep
     * @param live      whether a live file was there
     */
    record Verdict(boolean move, String principal, boolean live) {

        static final Verdict REFUSED = new Verdict(false, null, false);

        /** @return a verdict to replace a file that is {@code current}, live or {@code null} */
        static Verdict replacing(StoredHeader current) {
            return current == null ? new Verdict(true, null, false) : new Verdict(true, current.principal(), true);
        }
    }

    /**
     * Renames a file written by {@link #writeTemp} over {@code target} in one step: readers see
     * the old file or the new one, never a partial one or none.
     */
    static void moveOver(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A file's content and times as read together.
     *
     * @param content    the bytes
     * @param modified   the last-modified time, read after the bytes
     * @param lastAccess the last-access time, read with it
     */
    record Content(byte[] content, Instant modified, FileTime lastAccess) {
    }

    /**
     * Reads a session file: content first, then expiry, so that a save racing in between makes
     * the caller see the older, still valid content rather than wrongly call the new one expired.
     * A symbolic link is not followed and reads as no file, like anything but a regular file.
     *
     * @return the content, or {@code null} when there is no such file
     */
    static Content read(Path file) throws IOException {
        byte[] content;
        BasicFileAttributes attributes;
        try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
            // No fstat for the size first: one read into a buffer larger than most session files,
            // then the file's attributes, which the expiry needs anyway. Their size says whether
            // that read had it all; when not (a larger file, or a save renamed another one in
            // meanwhile), the rest is read through the same descriptor, which still holds the file
            // that was opened.
            ByteBuffer first = ByteBuffer.allocate(FIRST_READ);
            int read = Math.max(0, channel.read(first));
            attributes = attributes(file);
            if (attributes == null || !attributes.isRegularFile()) {
                return null;
            }
            if (read < FIRST_READ && attributes.size() == read) {
                content = Arrays.copyOf(first.array(), read);
            } else {
                content = readRest(channel, first);
            }
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null; // refused by NOFOLLOW_LINKS: planted, never the store's
            }
            throw e;
        }
        return new Content(content, attributes.lastModifiedTime().toInstant(), attributes.lastAccessTime());
    }

    /**
     * A session file read whole and decoded ({@link SessionFileFormat}).
     *
     * @param key        the key its header names, or {@code null} for a file of the previous
     *                   release
     * @param principal  the principal its header names, or {@code null}
     * @param value      the bytes the engine saved
     * @param expiry     the last-modified time, read after the bytes, plus the lifetime
     * @param lastAccess the last-access time, read with the last-modified time
     * @param lifetime   the lifetime the header names: zero in a file of an earlier release
     */
    record StoredSession(String key, String principal, byte[] value, Instant expiry, FileTime lastAccess, Duration lifetime) {
        boolean liveAt(Instant now) {
            return expiry.isAfter(now);
        }
    }

    /**
     * Reads and decodes a session file, as {@link #read} reads a file.
     *
     * @return the session, or {@code null} when there is no such file, or one whose header this
     *         release cannot read (a newer release's, or a corrupt one)
     */
    static StoredSession readSession(Path file) throws IOException {
        Content content = read(file);
        if (content == null) {
            return null;
        }
        byte[] bytes = content.content();
        SessionFileFormat.Header header = SessionFileFormat.parse(bytes, bytes.length, true);
        if (!header.readable()) {
            return null;
        }
        byte[] value = header.length() == 0 ? bytes : Arrays.copyOfRange(bytes, header.length(), bytes.length);
        return new StoredSession(header.key(), header.principal(), value, content.modified().plus(header.lifetime()),
                content.lastAccess(), header.lifetime());
    }

    /**
     * Reads a session file, as {@link #readSession} does, for a request that takes no lock: a
     * file that reads as expired is read once more. A save may rename a new file in between the
     * read of the content and of the times, and the expiry then adds the lifetime of the file read
     * to the time of the file written: an expired one, where the file read is of an earlier release
     * (no lifetime) and the new one was just written. The second read sees the new file whole.
     *
     * @return the session, live or not, or {@code null} as {@link #readSession}
     */
    static StoredSession readSessionUnlocked(Path file, Instant now) throws IOException {
        StoredSession stored = readSession(file);
        return stored == null || stored.liveAt(now) ? stored : readSession(file);
    }

    /**
     * A session file's header and expiry.
     *
     * @param key       the key its header names, or {@code null} for a file of the previous release
     * @param principal the principal its header names, or {@code null}
     * @param expiry    the last-modified time, read after the header, plus the lifetime
     * @param lifetime  the lifetime the header names: zero in a file of an earlier release
     */
    record StoredHeader(String key, String principal, Instant expiry, Duration lifetime) {
        boolean liveAt(Instant now) {
            return expiry.isAfter(now);
        }
    }

    /**
     * Reads a session file's header and expiry, not its value: its first {@value #HEADER_READ}
     * bytes (all of it only when a header is longer), then its times. A symbolic link is not
     * followed and reads as no file.
     *
     * @return the header, or {@code null} when there is no such file, or one whose header this
     *         release cannot read
     */
    static StoredHeader readHeader(Path file) throws IOException {
        SessionFileFormat.Header header;
        try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
            long size = channel.size();
            ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, HEADER_READ));
            while (start.hasRemaining() && channel.read(start) >= 0) {
                // reads until the buffer is full or the file ends
            }
            header = SessionFileFormat.parse(start.array(), start.position(), start.position() >= size);
            if (header == null) {
                channel.position(0);
                byte[] all = readAll(channel);
                header = SessionFileFormat.parse(all, all.length, true);
            }
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null;
            }
            throw e;
        }
        BasicFileAttributes attributes = attributes(file);
        return attributes == null || !attributes.isRegularFile() || !header.readable() ? null
                : new StoredHeader(header.key(), header.principal(),
                        attributes.lastModifiedTime().toInstant().plus(header.lifetime()), header.lifetime());
    }

    /** Reads to the end of the file what follows the bytes {@code first} holds, and returns them all. */
    private static byte[] readRest(SeekableByteChannel channel, ByteBuffer first) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("a session file of " + size + " bytes");
        }
        // The descriptor's own file, never written in place (a rename replaces it): its size holds.
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(size, first.position()));
        buffer.put(first.flip());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
    }

    private static byte[] readAll(SeekableByteChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("a session file of " + size + " bytes");
        }
        // Session files are never written in place (a rename replaces them), so the size holds.
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
    }

    /**
     * Records that a session was used, for a read that does not touch it: sets the file's
     * last-access time to now when it is {@link #NEVER_REUSED} or older than
     * {@link #USE_RESOLUTION}. Most file systems set it on the read already (the store's files
     * expire in the future, so even {@code relatime} updates it); this is for those mounted
     * {@code noatime}, and costs them one metadata write a minute per session at most. Best
     * effort: eviction order is advice, and a failure here must not fail the read.
     */
    static void recordUse(Path file, FileTime lastAccess, Instant now) {
        if (lastAccess.toInstant().isAfter(now.minus(USE_RESOLUTION))) {
            return;
        }
        try {
            setTimes(file, null, FileTime.from(now));
        } catch (IOException | RuntimeException ignored) {
            // Deleted or replaced meanwhile, or not ours to change: the next read tries again.
        }
    }

    /**
     * Reads a session file for the principal index or a listing, which is no use of the session:
     * a file marked {@link #NEVER_REUSED} stays so, for pruning's order, although the kernel sets
     * its last-access time on the read (the store's files expire in the future, so even
     * {@code relatime} does). The mark is put back under the file's lock, and only on the file
     * that was read (same file key and last-modified time): a save that replaced it meanwhile is
     * left alone.
     * A request that reads the session between the two steps has its use undone, which costs
     * nothing but the order of a later pruning.
     */
    <T> T readWithoutUse(Path file, DirectoryLockFile.Work<T> read) throws IOException {
        BasicFileAttributes before = attributes(file);
        T result = read.run();
        if (before != null && before.isRegularFile() && before.lastAccessTime().equals(NEVER_REUSED)) {
            try {
                locked(file, () -> {
                    BasicFileAttributes now = attributes(file);
                    if (now != null && now.isRegularFile() && !now.lastAccessTime().equals(NEVER_REUSED)
                            && Objects.equals(now.fileKey(), before.fileKey())
                            && now.lastModifiedTime().equals(before.lastModifiedTime())) {
                        setTimes(file, null, NEVER_REUSED);
                    }
                    return null;
                });
            } catch (IOException bestEffort) {
                // Deleted meanwhile, or not ours to change: eviction order is advice.
            }
        }
        return result;
    }

    /**
     * Puts back the last-access time a file had before a read that was no use of its session,
     * when the kernel changed it on the read (it does when the file was not read since it was
     * written, even under {@code relatime}), and only on the same file, unchanged otherwise.
     * Call it holding the file's lock. Best effort: eviction order is advice.
     *
     * @param before the file's attributes before the read
     */
    void restoreLastAccess(Path file, BasicFileAttributes before) {
        try {
            BasicFileAttributes now = attributes(file);
            if (now != null && now.isRegularFile() && Objects.equals(now.fileKey(), before.fileKey())
                    && now.lastModifiedTime().equals(before.lastModifiedTime())
                    && !now.lastAccessTime().equals(before.lastAccessTime())) {
                setTimes(file, before.lastModifiedTime(), before.lastAccessTime());
            }
        } catch (IOException | RuntimeException bestEffort) {
            // Deleted meanwhile, or not ours to change: the next pass reads it again.
        }
    }

    /**
     * The last-modified time that gives a file of {@code lifetime} the expiry {@code expiry}: what
     * a touch sets.
     */
    static FileTime modifiedFor(Instant expiry, Duration lifetime) {
        return FileTime.from(expiry.minus(lifetime));
    }

    /**
     * @return whether a regular file is there (a symbolic link, not followed, counts as none)
     *         whose last-modified time is after {@code now}: such a file is live whatever its
     *         lifetime (none is negative)
     */
    static boolean modifiedAfter(Path file, Instant now) throws IOException {
        BasicFileAttributes attributes = attributes(file);
        return attributes != null && attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isAfter(now);
    }

    /**
     * Says whether a regular file is there and live at {@code now}, for a clean-up, which is no
     * use of the session: by its last-modified time alone when that is after now, otherwise by
     * its header's lifetime too, read {@linkplain #restoreLastAccess without a use}. Call it
     * holding the file's lock.
     */
    boolean liveWithoutUse(Path file, Instant now) throws IOException {
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null || !attributes.isRegularFile()) {
            return false;
        }
        if (attributes.lastModifiedTime().toInstant().isAfter(now)) {
            return true;
        }
        StoredHeader header = readHeader(file);
        boolean live = header != null && header.liveAt(now);
        if (live) {
            restoreLastAccess(file, attributes);
        }
        return live;
    }

    /**
     * A session file and its times.
     *
     * @param path       the file
     * @param modified   its last-modified time when it was listed: its expiry less its lifetime,
     *                   when it was last written or touched (its expiry in a file of an earlier
     *                   release)
     * @param lastAccess its last-access time when it was listed
     */
    record SessionFile(Path path, Instant modified, FileTime lastAccess) {

        /** @return whether a request used the session after the write that created it */
        boolean reused() {
            return !lastAccess.equals(NEVER_REUSED);
        }

        /** @return whether the file still has the times it was listed with */
        boolean unchangedIn(BasicFileAttributes now) {
            return now != null && now.isRegularFile() && modified.equals(now.lastModifiedTime().toInstant())
                    && lastAccess.equals(now.lastAccessTime());
        }

        static SessionFile of(Path path, BasicFileAttributes attributes) {
            return new SessionFile(path, attributes.lastModifiedTime().toInstant(), attributes.lastAccessTime());
        }
    }

    /**
     * What a listing of the directory found.
     *
     * @param sessions  the session files, expired ones included
     * @param lockFiles the files of session locks
     * @param links     symbolic links under a name the store uses (a session, lock or temporary
     *                  file's): never the store's own, to be removed
     */
    record Listing(List<SessionFile> sessions, List<Path> lockFiles, List<Path> links) {
    }

    /**
     * Lists the session files and lock files, and symbolic links planted under their names or a
     * temporary file's; on the way, deletes temporary files a crashed writer left. Reads each
     * entry's own attributes: a link is never followed.
     */
    Listing list() throws IOException {
        List<SessionFile> sessions = new ArrayList<>();
        List<Path> lockFiles = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        Instant abandoned = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean session = name.length() == HASH_LENGTH + SUFFIX.length() && name.endsWith(SUFFIX);
                boolean lock = name.length() == HASH_LENGTH + LOCK_SUFFIX.length() && name.endsWith(LOCK_SUFFIX);
                boolean temp = name.startsWith(TEMP_PREFIX);
                if (!session && !lock && !temp) {
                    continue;
                }
                BasicFileAttributes attributes = attributes(entry);
                if (attributes == null) {
                    continue; // deleted or replaced by another request or process: nothing to count
                }
                if (attributes.isSymbolicLink()) {
                    links.add(entry);
                } else if (!attributes.isRegularFile()) {
                    continue; // not the store's, and not a way out of the directory either: left alone
                } else if (session) {
                    sessions.add(SessionFile.of(entry, attributes));
                } else if (lock) {
                    lockFiles.add(entry);
                } else if (attributes.lastModifiedTime().toInstant().isBefore(abandoned)) {
                    deleteQuietly(entry);
                }
            }
        }
        return new Listing(sessions, lockFiles, links);
    }

    /**
     * Deletes a symbolic link planted under a name the store uses, under that name's lock so that
     * a save renaming a session file over it meanwhile is kept. Deleting removes the link, never
     * what it points to.
     *
     * @return whether this call deleted it
     */
    boolean deleteLink(Path link) {
        try {
            return locked(link, () -> Files.isSymbolicLink(link) && deleteQuietly(link));
        } catch (IOException unlockable) {
            return false;
        }
    }

    /**
     * Deletes a file if it is there, ignoring failures: pruning and clean-up are best effort,
     * and the next pass tries again.
     *
     * @param file the file, or {@code null}
     * @return whether this call deleted it
     */
    static boolean deleteQuietly(Path file) {
        if (file == null) {
            return false;
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException ignored) {
            return false;
        }
    }

    /**
     * @param operation what is about to be done, for the message
     * @throws SessionBackendException when the backend was closed
     */
    void requireOpen(String operation) {
        if (closed.get()) {
            throw new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                    "the backend was closed (" + path + ")", null);
        }
    }

    /**
     * @return the failure of {@code operation}, naming the file and the directory
     */
    SessionBackendException failure(String operation, IOException e) {
        String detail = e instanceof FileSystemException fse && fse.getReason() != null
                ? e.getClass().getSimpleName() + " on " + fse.getFile() + ": " + fse.getReason()
                : e.toString();
        return new SessionBackendException(FileSystemSessionBackendProvider.TYPE, operation,
                detail + " (directory " + path + ")", e);
    }

    /**
     * Marks the store closed, so that every further operation fails, and gives up this store's
     * share of the directory's lock file. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            lockFile.close();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
