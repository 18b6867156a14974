package io.sessionkit.cli;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionRecord;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit check}: validates the configuration, creates the backend (which connects
 * and, for jdbc, verifies or creates the table), makes a save, load and delete round trip with a
 * random key, and lists the optional capabilities the backend offers and what each missing one
 * means. The first step that fails is reported with what to do about it.
 */
@Command(name = "check", header = "Check the configuration and the store, and list the backend's capabilities.",
        description = {
        "Validate the configuration, connect, probe a save/load/delete round trip with a random key, and list the",
        "backend's optional capabilities with what each missing one means."})
final class CheckCommand implements Callable<Integer> {

    /** How long the probe entry lives if the tool dies before deleting it. */
    private static final Duration PROBE_LIFE = Duration.ofMinutes(1);

    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SessionConfig config;
        try {
            config = cli.config();
        } catch (SessionConfigException e) {
            throw new CliFailure(ExitCode.CONFIGURATION, "configuration: " + e.getMessage()
                    + ". Fix the key named here; docs/configuration.md lists every key", e);
        }
        out.println("configuration: ok (SESSION_TYPE=" + config.type() + ", SESSION_KEY_PREFIX=" + config.keyPrefix() + ")");
        try (Store store = open(config)) {
            out.println("connect: ok");
            // The backend has read its keys by now: what is left is misspelt or meant for another store.
            store.config().unreadKeys().forEach((key, source) -> out.println("note: " + key + " is set (" + source
                    + ") but neither SessionKit nor the '" + store.type() + "' backend reads it: misspelt, or meant for"
                    + " another store?"));
            probe(store);
            out.println("probe: ok (saved, read back and deleted a random key)");
            out.println("capabilities:");
            for (Capability capability : Capability.ALL) {
                boolean offered = store.engine().capability(capability.type()).isPresent();
                out.printf("  %-3s  %-21s  %s%n", offered ? "yes" : "no", capability.type().getSimpleName(),
                        offered ? capability.offers() : "missing: " + capability.whenMissing());
            }
            boolean indexed = store.engine().capability(PrincipalIndex.class).isPresent();
            if (config.principalKey().isEmpty()) {
                out.println("note: " + ConfigKeys.SESSION_PRINCIPAL_KEY + " is not set, so no user's sessions are indexed"
                        + (indexed ? "; set it to the attribute that names the logged-in user to use PrincipalIndex" : ""));
            } else if (!indexed) {
                out.println("note: " + ConfigKeys.SESSION_PRINCIPAL_KEY + " is set but this backend keeps no principal index:"
                        + " a user's sessions can be neither listed nor revoked together");
            }
        }
        return ExitCode.OK;
    }

    private Store open(SessionConfig config) {
        try {
            return cli.openStore();
        } catch (SessionConfigException e) {
            throw new CliFailure(ExitCode.CONFIGURATION, "configuration: " + e.getMessage()
                    + ". Fix the key named here; docs/configuration.md and docs/backends/" + config.type() + ".md list the keys", e);
        } catch (RuntimeException e) {
            throw new CliFailure(ExitCode.STORE, "connect: " + FailureReport.oneLine(e.getMessage()) + ". " + howToReach(config), e);
        }
    }

    private static void probe(Store store) {
        byte[] random = new byte[store.config().idLength()];
        new SecureRandom().nextBytes(random);
        String key = store.key(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        byte[] value = store.serializer().serialize(new SessionRecord(Map.of("sessionkit-check", Instant.now().toString()),
                false, 1, Instant.now(), null, null));
        String step = "save";
        try {
            store.backend().save(key, value, PROBE_LIFE);
            step = "load";
            byte[] read = store.backend().load(key);
            if (!Arrays.equals(value, read)) {
                throw new CliFailure(ExitCode.STORE, "probe: the entry just saved read back "
                        + (read == null ? "as absent" : "changed") + ". The store does not keep what it is given: check that"
                        + " no other program writes under SESSION_KEY_PREFIX '" + store.config().keyPrefix()
                        + "' and that the server's clock and memory limits let an entry live a minute");
            }
            step = "delete";
            store.backend().delete(key);
            if (store.backend().load(key) != null) {
                throw new CliFailure(ExitCode.STORE, "probe: the entry just deleted can still be read. Check that the store"
                        + " is not a read replica and that no other program writes under SESSION_KEY_PREFIX '"
                        + store.config().keyPrefix() + "'");
            }
        } catch (CliFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CliFailure(ExitCode.STORE, "probe: " + step + " failed: " + FailureReport.oneLine(e.getMessage())
                    + ". " + howToReach(store.config()), e);
        }
    }

    private static String howToReach(SessionConfig config) {
        return "Check that the " + config.type() + " store the configuration names is running and reachable from here,"
                + " and its credentials and permissions (docs/backends/" + config.type() + ".md)";
    }
}
