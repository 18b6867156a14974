package io.sessionkit.faults;

import io.sessionkit.testsupport.StoreServerProcess;

import java.time.Duration;

/**
 * Freezes a store server and all its processes with {@code SIGSTOP}, as a long garbage-collection
 * pause, a hung disk or a saturated host would: connections stay open and accept bytes, but
 * nothing answers. {@code SIGCONT} after the given time; the store is back then.
 */
final class ProcessFreeze implements StoreFault {

    private final StoreServerProcess server;
    private final Duration frozen;

    /**
     * @param server the store server, running
     * @param frozen how long it stays frozen
     */
    ProcessFreeze(StoreServerProcess server, Duration frozen) {
        this.server = server;
        this.frozen = frozen;
    }

    @Override
    public String description() {
        return "SIGSTOP for " + frozen.toSeconds() + " s, SIGCONT";
    }

    @Override
    public void play(FaultTimeline timeline) throws Exception {
        ProcessTree processes = ProcessTree.of(server.pid());
        processes.signal("STOP");
        timeline.faultBegins();
        try {
            Thread.sleep(frozen.toMillis());
        } finally {
            processes.signal("CONT");
            timeline.storeIsBack();
        }
    }
}
