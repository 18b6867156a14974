package io.sessionkit.filesystem;

import io.sessionkit.filesystem.SessionFileDirectory.SessionFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the directory within {@code SESSION_FILE_THRESHOLD} session files. Past it, pruning
 * deletes expired files, then evicts live sessions down to 90% of the threshold, in this order:
 * <ol>
 *   <li>sessions never used after the write that created them (their file's last-access time is
 *       still {@link SessionFileDirectory#NEVER_REUSED}), by their last-modified time, the
 *       time they were written (their expiry, in files of an earlier release), oldest first;</li>
 *   <li>then the others by last use (their file's last-access time), longest ago first.</li>
 * </ol>
 * A client that creates sessions by the thousand and never sends their cookies back evicts only
 * its own sessions and other never-reused ones; a user who came back since logging in keeps the
 * session.
 *
 * <p>The check is cheap on the common path: the store counts the session files it creates (an
 * upper bound, starting from the files found at start-up) and lists the directory only when that
 * count passes the threshold; pruning then resets it to what it kept, so the directory is listed
 * once per 10% of the threshold of new sessions. Rewrites and touches of existing sessions add no
 * file and are not counted. When pruning evicts live sessions it logs a warning, at most once
 * per {@link #WARNING_INTERVAL}, naming the directory and counts, never a session.
 *
 * <p>Thread-safe; several processes may prune the same directory at once: each file is checked
 * again and deleted while holding its lock of the {@link DirectoryLockFile}.
 */
final class SessionFilePruning {

    /** How long warnings about evicted live sessions are held back after one is logged. */
    static final Duration WARNING_INTERVAL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(SessionFilePruning.class);

    /** Never-reused sessions first, earliest expiry first; then the others, used longest ago first. */
    static final Comparator<SessionFile> EVICTION_ORDER = Comparator.comparing(SessionFile::reused)
            .thenComparing(file -> file.reused() ? file.lastAccess().toInstant() : file.modified());

    private final SessionFileDirectory directory;
    private final FileSystemExpiredSessionCleanup cleanup;
    private final int threshold;
    private final Clock clock;
    private final AtomicInteger fileCountUpperBound;
    private final ReentrantLock pruning = new ReentrantLock();
    // Guarded by pruning.
    private Instant lastWarning;
    private int warningsHeldBack;

    /**
     * @param threshold    {@code SESSION_FILE_THRESHOLD}
     * @param filesAtStart how many session files the directory held when the store was prepared
     */
    SessionFilePruning(SessionFileDirectory directory, FileSystemExpiredSessionCleanup cleanup, int threshold,
                       int filesAtStart, Clock clock) {
        this.directory = directory;
        this.cleanup = cleanup;
        this.threshold = threshold;
        this.clock = clock;
        this.fileCountUpperBound = new AtomicInteger(filesAtStart);
    }

    /** Counts a session file this store created, and prunes when the count passes the threshold. */
    void created() {
        if (fileCountUpperBound.incrementAndGet() > threshold) {
            prune();
        }
    }

    /**
     * Deletes expired session files, then evicts live ones in {@link #EVICTION_ORDER} while more
     * than 90% of the threshold remain. A pruning already running in this store is not waited for.
     *
     * @return how many session files remain
     * @throws io.sessionkit.SessionBackendException when the directory cannot be listed
     */
    int prune() {
        if (!pruning.tryLock()) {
            return fileCountUpperBound.get();
        }
        try {
            List<SessionFile> live = new ArrayList<>();
            Instant now = clock.instant();
            int expired = cleanup.deleteExpired(now, live);
            int keep = Math.max(1, threshold - threshold / 10);
            if (live.size() > keep) {
                live.sort(EVICTION_ORDER);
                List<SessionFile> evicted = live.subList(0, live.size() - keep);
                int neverReused = 0;
                int reused = 0;
                for (SessionFile file : evicted) {
                    if (evict(file)) {
                        if (file.reused()) {
                            reused++;
                        } else {
                            neverReused++;
                        }
                    }
                }
                live = live.subList(live.size() - keep, live.size());
                warn(now, expired, neverReused, reused, live.size());
            }
            fileCountUpperBound.set(live.size());
            return live.size();
        } catch (IOException e) {
            throw directory.failure("prune", e);
        } finally {
            pruning.unlock();
        }
    }

    /** Deletes a session file, unless a save or a use has changed it since it was listed. */
    private boolean evict(SessionFile file) throws IOException {
        return directory.locked(file.path(), () ->
                file.unchangedIn(SessionFileDirectory.attributes(file.path())) && SessionFileDirectory.deleteQuietly(file.path()));
    }

    private void warn(Instant now, int expired, int neverReused, int reused, int kept) {
        if (neverReused + reused == 0) {
            return;
        }
        if (lastWarning != null && now.isBefore(lastWarning.plus(WARNING_INTERVAL))) {
            warningsHeldBack++;
            return;
        }
        String heldBack = warningsHeldBack == 0 ? ""
                : " Pruning evicted live sessions " + warningsHeldBack + " more times since the last warning.";
        LOG.warn("Session directory {} passed SESSION_FILE_THRESHOLD={}: pruning deleted {} expired session files and"
                        + " evicted {} live sessions never used again after their creation and {} in use (used longest"
                        + " ago first), keeping {}. A flood of new sessions is evicted first; if returning users lose"
                        + " their sessions, raise SESSION_FILE_THRESHOLD.{} Further warnings are held back for {} minutes.",
                directory.path(), threshold, expired, neverReused, reused, kept, heldBack, WARNING_INTERVAL.toMinutes());
        lastWarning = now;
        warningsHeldBack = 0;
    }
}
