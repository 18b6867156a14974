package io.sessionkit.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that makes a check and the write that depends on it one atomic step for a session
 * file, among the threads of this JVM and the processes sharing the directory: the file
 * {@value #NAME} in the directory, of which byte {@code n} stands for the session files whose
 * name starts with the hex digits of {@code n} ({@value #STRIPES} stripes). A process holds a
 * stripe with {@link FileChannel#tryLock(long, long, boolean)} (an {@code fcntl} record lock on
 * POSIX systems, {@code LockFileEx} on Windows), which the operating system frees when the
 * process dies; the threads of one JVM take turns first on a {@link ReentrantLock} per stripe,
 * because file locks are held by the whole JVM.
 *
 * <p>One channel per directory and JVM, shared by every store on that directory and closed when
 * the last of them closes: on POSIX systems closing any channel of a file frees all the locks the
 * process holds on it, so a second channel would break the first one's locks. Work done under
 * the lock must not take it again. Thread-safe.
 */
final class DirectoryLockFile implements AutoCloseable {

    /** The lock file's name in the session directory. */
    static final String NAME = ".sessionkit.lock";
    static final int STRIPES = 256;
    private static final long LONGEST_PAUSE_NANOS = 2_000_000;

    /** The open lock files of this JVM, by the directory's real path. Guarded by itself. */
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private final Path directory;
    private final Shared shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DirectoryLockFile(Path directory, Shared shared) {
        this.directory = directory;
        this.shared = shared;
    }

    /**
     * Opens the directory's lock file, creating it when missing, or shares the channel this JVM
     * has open on it already.
     *
     * @param directory  the session directory, which exists
     * @param attributes the permissions a new lock file gets
     * @return a handle to {@link #close()} when the store closes
     */
    static DirectoryLockFile open(Path directory, FileAttribute<?>... attributes) throws IOException {
        Path real = directory.toRealPath();
        synchronized (OPEN) {
            Shared shared = OPEN.get(real);
            if (shared == null) {
                // Not through a symbolic link planted under its name: that could create or lock a file elsewhere.
                FileChannel channel = FileChannel.open(real.resolve(NAME), Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
                shared = new Shared(channel);
                OPEN.put(real, shared);
            }
            shared.users++;
            return new DirectoryLockFile(real, shared);
        }
    }

    /**
     * Runs {@code work} while this thread holds the stripe of {@code sessionFile}, against other
     * threads and other processes.
     *
     * @param sessionFile a session file, or a file named after one (its lock file)
     * @param work        what must not interleave with other work on the same file
     * @param <T>         its result
     * @return its result
     * @throws IOException from {@code work}, or when the lock file cannot be locked
     */
    <T> T locked(Path sessionFile, Work<T> work) throws IOException {
        int stripe = stripe(sessionFile);
        ReentrantLock threads = shared.stripes[stripe];
        threads.lock();
        try {
            FileLock processes = lockAgainstOtherProcesses(stripe);
            try {
                return work.run();
            } finally {
                processes.release();
            }
        } finally {
            threads.unlock();
        }
    }

    /**
     * Polls {@code tryLock} rather than waiting in {@code lock}: an interrupt during
     * {@link FileChannel#lock} closes the channel (it is an interruptible channel), which would
     * free every lock this JVM holds on the file. Another process holds a stripe only for a
     * check, the write of a small temporary file and a rename, so the wait is short.
     */
    private FileLock lockAgainstOtherProcesses(int stripe) throws IOException {
        boolean interrupted = false;
        long pause = 50_000;
        try {
            while (true) {
                FileLock lock = shared.channel.tryLock(stripe, 1, false);
                if (lock != null) {
                    return lock;
                }
                // parkNanos returns at once while the interrupt flag is set: clear it, restore it later.
                interrupted |= Thread.interrupted();
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The stripe of a file named by a SHA-256 in hex: its first byte. */
    static int stripe(Path sessionFile) {
        String name = sessionFile.getFileName().toString();
        int high = Character.digit(name.charAt(0), 16);
        int low = name.length() > 1 ? Character.digit(name.charAt(1), 16) : 0;
        return high < 0 || low < 0 ? 0 : high * 16 + low;
    }

    /**
     * Gives up this store's share of the lock file; the last store of the JVM on the directory
     * closes the channel. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (OPEN) {
            if (--shared.users == 0) {
                OPEN.remove(directory);
                shared.channel.close();
            }
        }
    }

    /**
     * Work under the lock.
     *
     * @param <T> its result
     */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    /** The channel and the per-stripe locks of one directory, shared by the stores of this JVM. */
    private static final class Shared {
        final FileChannel channel;
        final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
        int users;

        Shared(FileChannel channel) {
            this.channel = channel;
            for (int i = 0; i < STRIPES; i++) {
                stripes[i] = new ReentrantLock();
            }
        }
    }
}
