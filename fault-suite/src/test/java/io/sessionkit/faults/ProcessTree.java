package io.sessionkit.faults;

import io.sessionkit.testsupport.ExternalProgram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A store server's processes: its main process and every process it forked (PostgreSQL's
 * backends, a Redis rewrite child), signalled together. Stopping or killing only the main process
 * is not the fault we mean: PostgreSQL's backends would keep serving their connections, and a
 * killed postmaster's orphaned backends would keep its shared memory and refuse the restart.
 */
final class ProcessTree {

    private final List<Long> pids;

    private ProcessTree(List<Long> pids) {
        this.pids = pids;
    }

    /**
     * @param pid the main process
     * @return it and its descendants as they are now
     */
    static ProcessTree of(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(process -> process.descendants().forEach(child -> pids.add(child.pid())));
        return new ProcessTree(List.copyOf(pids));
    }

    /** @return how many processes */
    int size() {
        return pids.size();
    }

    /**
     * Sends a signal to every process, with {@code kill}.
     *
     * @param signal such as {@code STOP}, {@code CONT}, {@code KILL}
     */
    void signal(String signal) {
        List<String> arguments = new ArrayList<>();
        arguments.add("-" + signal);
        pids.forEach(pid -> arguments.add(Long.toString(pid)));
        try {
            ExternalProgram.find("kill", "apt-get install -y procps").run(null, Duration.ofSeconds(10), arguments);
        } catch (IllegalStateException e) {
            // kill signals every pid it can; one that exited meanwhile (a closed connection's backend) is no failure.
            boolean onlyGoneOnes = e.getMessage().lines().skip(1).filter(line -> !line.isBlank())
                    .allMatch(line -> line.contains("No such process"));
            if (!onlyGoneOnes) {
                throw e;
            }
        }
    }

    /**
     * Waits until every process has exited (a zombie counts as exited: it holds nothing).
     *
     * @param within how long to wait
     * @throws IllegalStateException naming the ones still running after that
     */
    void awaitExit(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Long> running = pids.stream().filter(ProcessTree::isRunning).toList();
            if (running.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes " + running + " still run " + within + " after SIGKILL");
            }
            Thread.sleep(20);
        }
    }

    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (name) S ...": the state follows the last parenthesis.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    @Override
    public String toString() {
        return "processes " + pids;
    }
}
