package io.sessionkit.faults;

import io.sessionkit.testsupport.StoreServerProcess;

import java.time.Duration;

/**
 * Kills a store server and all its processes with {@code SIGKILL}, as the kernel's OOM killer or
 * a lost machine would (no shutdown, no last flush), keeps it down for a while and starts it again
 * on the same port and data directory. The store is back once the restarted server is ready.
 */
final class ProcessKill implements StoreFault {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    private final StoreServerProcess server;
    private final Duration down;

    /**
     * @param server the store server, running
     * @param down   how long it stays down before the restart
     */
    ProcessKill(StoreServerProcess server, Duration down) {
        this.server = server;
        this.down = down;
    }

    @Override
    public String description() {
        return "SIGKILL, " + down.toSeconds() + " s down, restart";
    }

    @Override
    public void play(FaultTimeline timeline) throws Exception {
        ProcessTree processes = ProcessTree.of(server.pid());
        try {
            processes.signal("KILL");
            timeline.faultBegins();
            processes.awaitExit(EXIT_WITHIN);
            Thread.sleep(down.toMillis());
        } finally {
            server.restart();
            timeline.storeIsBack();
        }
    }
}
