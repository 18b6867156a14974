package io.sessionkit.examples.localstores;

import io.sessionkit.testsupport.LocalStore;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts a MongoDB-compatible server or DynamoDB Local on 127.0.0.1 and prints the
 * environment variables that run the cart demo against it; runs until Ctrl+C.
 *
 * <pre>
 *   java -cp ... io.sessionkit.examples.localstores.LocalStoreLauncher mongodb|dynamodb [port]
 * </pre>
 *
 * The port defaults to the real server's (27017, 8000); 0 picks any free one.
 */
public final class LocalStoreLauncher {

    private LocalStoreLauncher() {
    }

    /**
     * @param args {@code mongodb|dynamodb [port]}
     * @throws InterruptedException never in practice: the process ends through Ctrl+C
     */
    public static void main(String[] args) throws InterruptedException {
        LocalStore store;
        try {
            LauncherArguments arguments = LauncherArguments.parse(args);
            store = arguments.type().start(arguments.port());
        } catch (RuntimeException e) {
            System.err.println("local-store: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            System.out.println("Stopped " + store.description() + " on 127.0.0.1:" + store.port() + ".");
            stopped.countDown();
        }, "local store shutdown"));

        System.out.println();
        System.out.println(store.description() + " listening on 127.0.0.1:" + store.port());
        System.out.println("Run the cart demo on it (from the repository's directory, in another terminal):");
        System.out.println();
        System.out.println("  " + commandLine(store.sessionEnvironment()) + " ./scripts/demo.sh");
        System.out.println();
        System.out.println("List the sessions it holds:  ./scripts/local-store.sh list " + store.sessionType()
                + " " + store.port());
        System.out.println("Everything is in memory and lost when this stops. Press Ctrl+C to stop.");
        // Only Ctrl+C (or another signal) ends the process; the shutdown hook stops the server.
        stopped.await();
    }

    /**
     * @param environment variable names and values, none needing shell quoting
     * @return them as a shell command prefix, such as {@code SESSION_TYPE=mongodb SESSION_MONGODB=...}
     */
    static String commandLine(Map<String, String> environment) {
        return environment.entrySet().stream()
                .map(variable -> variable.getKey() + "=" + variable.getValue())
                .collect(Collectors.joining(" "));
    }
}
