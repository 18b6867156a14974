package io.sessionkit.examples.localstores;

/**
 * The command line shared by {@link LocalStoreLauncher} and {@link StoredSessionsListing}:
 * {@code mongodb|dynamodb [port]}.
 *
 * @param type the store
 * @param port the port on 127.0.0.1 (0: any free one, for the launcher)
 */
record LauncherArguments(LocalStoreType type, int port) {

    /**
     * @param args the command line
     * @return the parsed arguments
     * @throws IllegalArgumentException saying what was wrong and what is expected
     */
    static LauncherArguments parse(String[] args) {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("expected the store and optionally a port: "
                    + LocalStoreType.names() + " [port]");
        }
        LocalStoreType type = LocalStoreType.named(args[0]);
        int port = args.length == 2 ? port(args[1]) : type.defaultPort();
        return new LauncherArguments(type, port);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("the port was '" + text + "' but it must be a number from 0 to 65535"
                + " (0 picks any free port)");
    }
}
