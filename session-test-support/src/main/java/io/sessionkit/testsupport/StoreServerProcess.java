package io.sessionkit.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What every store server run as a {@link ServerProcess} offers a test: its port and pid,
 * and the moves that play an outage (stop, restart, suspend, resume). Subclasses add how to
 * start one and how to reach or look into it.
 */
public abstract class StoreServerProcess implements AutoCloseable {

    private final ServerProcess process;

    /**
     * @param process the started server
     */
    protected StoreServerProcess(ServerProcess process) {
        this.process = process;
    }

    /**
     * Closes several servers at once: each is signalled before any is waited for, since some
     * take a second or two to exit.
     *
     * @param servers the servers
     */
    public static void closeAll(Collection<? extends StoreServerProcess> servers) {
        List<ServerProcess> processes = new ArrayList<>();
        for (StoreServerProcess server : servers) {
            processes.add(server.process);
        }
        ServerProcess.closeAll(processes);
    }

    /**
     * @return the port it listens on at 127.0.0.1
     */
    public final int port() {
        return process.port();
    }

    /**
     * @return the pid of the running server
     */
    public final long pid() {
        return process.pid();
    }

    /**
     * Stops the server by its pid and waits until it is gone; its directory is kept.
     */
    public final void stop() {
        process.stop();
    }

    /**
     * Starts the server again on the same port and directory, stopping it first when it runs.
     * What it holds afterwards is what it persisted: nothing for Redis and memcached here.
     */
    public final void restart() {
        process.restart();
    }

    /**
     * Suspends the server and every process it started ({@code SIGSTOP}): connections stay open
     * but nothing answers, as with a frozen machine or a network path that drops every packet.
     */
    public final void suspend() {
        process.suspend();
    }

    /**
     * Lets a {@linkplain #suspend() suspended} server answer again.
     */
    public final void resume() {
        process.resume();
    }

    /**
     * @return the tail of the server's output and logs, for failure messages
     */
    public final String logTail() {
        return process.logTail();
    }

    /**
     * Stops the server and deletes its directory.
     */
    @Override
    public final void close() {
        process.close();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
