package io.sessionkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import java.nio.charset.StandardCharsets;
import io.sessionkit.testsupport.FreePort;
import io.sessionkit.testsupport.MemcachedServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tool says when something is wrong: one line on stderr, no stack trace unless
 * {@code --debug}, and the documented exit code.
 */
class CliFailuresTest {

    private static final String SOME_ID = "B".repeat(43);

    @TempDir
    Path directory;

    private static Supplier<SessionConfig.Builder> config(Map<String, String> settings) {
        return () -> SessionConfig.builder().fromMap(settings);
    }

    private Supplier<SessionConfig.Builder> filesystem() {
        return config(Map.of("SESSION_TYPE", "filesystem", "SESSION_FILE_DIR", directory.toString()));
    }

    private static void assertOneLine(CliRun run) {
        assertEquals(1, run.err().lines().count(), "one line on stderr: " + run);
        assertTrue(run.err().startsWith("sessionkit: "), run.toString());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Caused by"), "no stack trace: " + run);
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        CliRun command = CliRun.of(filesystem(), "lst");
        assertEquals(1, command.exitCode(), command.toString());
        assertOneLine(command);
        CliRun option = CliRun.of(filesystem(), "list", "--limit", "many");
        assertEquals(1, option.exitCode(), option.toString());
        assertOneLine(option);
        CliRun none = CliRun.of(filesystem());
        assertEquals(1, none.exitCode(), none.toString());
        assertTrue(none.err().contains("a command is required"), none.toString());
    }

    @Test
    void revokeNeedsAnIdOrAUserButNotBoth() {
        assertEquals(1, CliRun.of(filesystem(), "revoke").exitCode());
        assertEquals(1, CliRun.of(filesystem(), "revoke", SOME_ID, "--user", "alice").exitCode());
        CliRun except = CliRun.of(filesystem(), "revoke", SOME_ID, "--except", SOME_ID);
        assertEquals(1, except.exitCode(), except.toString());
        assertOneLine(except);
    }

    @Test
    void somethingThatIsNoIdIsAUsageErrorThatDoesNotEchoIt() {
        CliRun run = CliRun.of(filesystem(), "show", "../../etc/passwd");
        assertEquals(1, run.exitCode(), run.toString());
        assertOneLine(run);
        CliRun tooShort = CliRun.of(filesystem(), "revoke", "abc");
        assertEquals(1, tooShort.exitCode(), tooShort.toString());
        assertTrue(tooShort.err().contains("at least 8 characters"), tooShort.toString());
    }

    @Test
    void anIdThatStartsWithADashIsTakenAsAnIdNotAnOption() {
        String id = "-V" + "A".repeat(41);
        CliRun show = CliRun.of(filesystem(), "show", id);
        assertEquals(5, show.exitCode(), show.toString());
        CliRun revoke = CliRun.of(filesystem(), "revoke", "-hAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(5, revoke.exitCode(), revoke.toString());
        assertOneLine(revoke);
    }

    @Test
    void aRecordThatDoesNotDecodeIsAStoreFailure() {
        SessionConfig settings = filesystem().get().build();
        try (SessionBackend backend = BackendRegistry.load().create(settings)) {
            backend.save(settings.keyPrefix() + SOME_ID, "not a session".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        }
        CliRun run = CliRun.of(filesystem(), "show", SOME_ID);
        assertEquals(3, run.exitCode(), run.toString());
        assertOneLine(run);
        assertTrue(run.err().contains("does not decode as json"), run.toString());
        assertFalse(run.err().contains(SOME_ID) || run.err().contains("not a session"), "neither id nor data: " + run);
    }

    @Test
    void anUnknownStoreTypeIsAConfigurationErrorThatNamesTheInstalledTypes() {
        CliRun run = CliRun.of(config(Map.of("SESSION_TYPE", "cassandra")), "count");
        assertEquals(2, run.exitCode(), run.toString());
        assertOneLine(run);
        assertTrue(run.err().contains("SESSION_TYPE was 'cassandra'") && run.err().contains("redis"), run.toString());

        CliRun check = CliRun.of(config(Map.of("SESSION_TYPE", "cassandra")), "check");
        assertEquals(2, check.exitCode(), check.toString());
        assertOneLine(check);
    }

    @Test
    void aBadValueIsAConfigurationErrorThatNamesTheKey() {
        CliRun run = CliRun.of(filesystem(), "count", "--set", "SESSION_ID_LENGTH=two");
        assertEquals(2, run.exitCode(), run.toString());
        assertOneLine(run);
        assertTrue(run.err().contains("SESSION_ID_LENGTH"), run.toString());
    }

    @Test
    void checkNamesAKeyThatNothingReads() {
        CliRun run = CliRun.of(filesystem(), "check", "--set", "SESSION_FILE_TRESHOLD=10");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("note: SESSION_FILE_TRESHOLD is set (configuration) but neither SessionKit nor the"
                + " 'filesystem' backend reads it"), run.out());
    }

    @Test
    void userListingWithoutAPrincipalKeyIsAConfigurationError() {
        CliRun run = CliRun.of(filesystem(), "list", "--user", "alice");
        assertEquals(2, run.exitCode(), run.toString());
        assertOneLine(run);
        assertTrue(run.err().contains("SESSION_PRINCIPAL_KEY"), run.toString());
    }

    @Test
    void theConfigFileIsReadAndAMissingOneIsAConfigurationError() throws Exception {
        Path file = directory.resolve("sessionkit.properties");
        Path sessions = Files.createDirectory(directory.resolve("sessions"));
        Files.writeString(file, "SESSION_TYPE=filesystem\nSESSION_FILE_DIR=" + sessions.toString().replace("\\", "\\\\") + "\n");
        CliRun run = CliRun.of(config(Map.of("SESSION_TYPE", "cassandra")), "--config", file.toString(), "check");
        assertEquals(0, run.exitCode(), "the file overrides the environment: " + run);
        assertTrue(run.out().contains("SESSION_TYPE=filesystem"), run.toString());

        CliRun missing = CliRun.of(filesystem(), "--config", directory.resolve("nope.properties").toString(), "count");
        assertEquals(2, missing.exitCode(), missing.toString());
        assertOneLine(missing);
        assertTrue(missing.err().contains("nope.properties: no such file"), missing.toString());
    }

    @Test
    void anUnreachableRedisIsAStoreFailureInOneLineAndDebugShowsTheTrace() {
        Supplier<SessionConfig.Builder> unreachable = config(Map.of("SESSION_TYPE", "redis",
                "SESSION_REDIS", "redis://127.0.0.1:" + FreePort.onLoopback(), "SESSION_REDIS_CONNECT_TIMEOUT", "1"));
        CliRun show = CliRun.of(unreachable, "show", SOME_ID);
        assertEquals(3, show.exitCode(), show.toString());
        assertOneLine(show);
        assertTrue(show.err().contains("redis"), show.toString());

        CliRun check = CliRun.of(unreachable, "check");
        assertEquals(3, check.exitCode(), check.toString());
        assertOneLine(check);
        assertTrue(check.err().contains("Check that the redis store"), check.toString());

        CliRun debug = CliRun.of(unreachable, "--debug", "show", SOME_ID);
        assertEquals(3, debug.exitCode(), debug.toString());
        assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace: " + debug);
        CliRun debugAfterTheCommand = CliRun.of(unreachable, "show", SOME_ID, "--debug");
        assertTrue(debugAfterTheCommand.err().contains("\tat "), "the global options follow the command too: "
                + debugAfterTheCommand);
    }

    @Test
    void memcachedCannotListSoListingExitsWithFourNamingTheCapability() {
        try (MemcachedServerProcess memcached = MemcachedServerProcess.start()) {
            Supplier<SessionConfig.Builder> settings = config(Map.of("SESSION_TYPE", "memcached",
                    "SESSION_MEMCACHED", memcached.address(), "SESSION_PRINCIPAL_KEY", "user"));
            CliRun count = CliRun.of(settings, "count");
            assertEquals(4, count.exitCode(), count.toString());
            assertOneLine(count);
            assertEquals("sessionkit: the backend 'memcached' cannot count sessions: it does not offer the capability"
                    + " SessionListing (`sessionkit check` lists what it offers)", count.err().strip());

            CliRun byUser = CliRun.of(settings, "revoke", "--user", "alice");
            assertEquals(4, byUser.exitCode(), byUser.toString());
            assertTrue(byUser.err().contains("PrincipalIndex"), byUser.toString());

            CliRun prefix = CliRun.of(settings, "show", "abcdefgh");
            assertEquals(4, prefix.exitCode(), "a prefix needs the listing: " + prefix);

            CliRun purge = CliRun.of(settings, "purge-expired");
            assertEquals(0, purge.exitCode(), purge.toString());
            assertTrue(purge.out().startsWith("nothing to purge: the 'memcached' store drops expired sessions by itself"),
                    purge.toString());

            CliRun check = CliRun.of(settings, "check");
            assertEquals(0, check.exitCode(), check.toString());
            assertTrue(check.out().contains("\n  no   SessionListing ") && check.out().contains("\n  no   PrincipalIndex "),
                    check.out());
            assertTrue(check.out().contains("SESSION_PRINCIPAL_KEY is set but this backend keeps no principal index"),
                    check.out());
        }
    }

    @Test
    void helpAndVersionExitWithZero() {
        CliRun help = CliRun.of(filesystem(), "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("purge-expired") && help.out().contains("Exit codes:"), help.out());
        assertEquals(0, CliRun.of(filesystem(), "--version").exitCode());
    }
}
