package io.sessionkit.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Fills the file system of the filesystem store's directory with a filler file, as a runaway log
 * would, keeps it full for a while (every few milliseconds it takes back whatever space was
 * freed), then deletes the filler. The store is back once the filler is gone.
 */
final class DiskFull implements StoreFault {

    private static final byte[] CHUNK = new byte[4096];
    private static final long TOP_UP_EVERY_MILLIS = 5;

    private final Path filler;
    private final Duration full;
    private volatile long fillerBytes;

    /**
     * @param filler the file to grow, on the file system to fill
     * @param full   how long the file system stays full
     */
    DiskFull(Path filler, Duration full) {
        this.filler = filler;
        this.full = full;
    }

    @Override
    public String description() {
        return "disk full for " + full.toSeconds() + " s, then space freed";
    }

    /** @return how large the filler grew */
    long fillerBytes() {
        return fillerBytes;
    }

    @Override
    public void play(FaultTimeline timeline) throws Exception {
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND)) {
            topUp(out);
            timeline.faultBegins();
            long end = System.nanoTime() + full.toNanos();
            // A save that renames its new file over an old one frees the old file's space: take it back.
            while (System.nanoTime() < end) {
                Thread.sleep(TOP_UP_EVERY_MILLIS);
                topUp(out);
            }
        } finally {
            Files.deleteIfExists(filler);
            timeline.storeIsBack();
        }
    }

    private void topUp(OutputStream out) {
        try {
            while (true) {
                out.write(CHUNK);
                fillerBytes += CHUNK.length;
            }
        } catch (IOException full) {
            // ENOSPC: the file system is full again.
        }
    }
}
