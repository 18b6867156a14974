package io.sessionkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tool against a real store: sessions are seeded through the engine with
 * {@code SESSION_PRINCIPAL_KEY=user}, then each command runs in-process on the same
 * configuration. Each store's subclass says how to reach it and what it offers.
 */
abstract class SessionKitCliStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionInterface engine;
    /** Ids of the seeded sessions: alice's two, bob's one, and one with no user. */
    private String alice1;
    private String alice2;
    private String bob;
    private String anonymous;

    /** The store's keys, without SESSION_PRINCIPAL_KEY; each test's store is empty at first. */
    abstract Map<String, String> storeSettings();

    /** Whether the store keeps expired entries until they are purged. */
    abstract boolean keepsExpiredEntries();

    SessionConfig.Builder settings() {
        return SessionConfig.builder().fromMap(storeSettings()).set("SESSION_PRINCIPAL_KEY", "user")
                .set("PERMANENT_SESSION_LIFETIME", "600");
    }

    private CliRun run(String... args) {
        return CliRun.of(this::settings, args);
    }

    @BeforeEach
    void seed() {
        engine = SessionInterface.create(settings().build());
        alice1 = store(Map.of("user", "alice", "cart", Map.of("apple", 2)));
        alice2 = store(Map.of("user", "alice"));
        bob = store(Map.of("user", "bob"));
        anonymous = store(Map.of("cart", Map.of("pear", 1)));
    }

    @AfterEach
    void closeAndEmpty() throws Exception {
        if (engine == null) {
            return; // the store could not be reached: the test has failed already
        }
        try {
            for (String id : new String[] {alice1, alice2, bob, anonymous}) {
                engine.revoke(id);
            }
        } finally {
            engine.close();
            storeEmptied();
        }
    }

    /** After each test, once the engine is closed: removes what the store kept, when it is more than sessions. */
    void storeEmptied() throws Exception {
    }

    private String store(Map<String, Object> attributes) {
        Session session = engine.open(null);
        session.putAll(attributes);
        engine.save(session);
        return session.id();
    }

    private boolean stored(String id) {
        Session session = engine.open(id);
        boolean found = !session.isNew();
        engine.release(session);
        return found;
    }

    @Test
    void countPrintsTheNumberOfLiveSessions() {
        CliRun run = run("count");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("4", run.out().strip());
        assertEquals("", run.err());
    }

    @Test
    void listPrintsEverySessionWithItsUserPageByPageAndNoWholeId() {
        CliRun run = run("list", "--page-size", "1");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).matches("ID\\s+USER\\s+CREATED\\s+EXPIRES\\s+SIZE"), lines.get(0));
        assertEquals("4 sessions", lines.get(lines.size() - 1));
        List<String> rows = lines.subList(1, lines.size() - 1);
        assertEquals(Set.of(prefix(alice1) + " alice", prefix(alice2) + " alice", prefix(bob) + " bob",
                prefix(anonymous) + " -"), idAndUser(rows));
        for (String row : rows) {
            assertTrue(row.matches("\\S{8}\\s+\\S+\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+"
                    + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+\\d+"), row);
        }
        for (String id : List.of(alice1, alice2, bob, anonymous)) {
            assertFalse(run.out().contains(id), "no whole id without --full-ids");
        }
    }

    @Test
    void listWithFullIdsAndALimit() {
        CliRun all = run("list", "--full-ids");
        assertTrue(all.out().contains(alice1) && all.out().contains(anonymous), all.toString());

        CliRun limited = run("list", "--limit", "2", "--page-size", "1");
        assertEquals(0, limited.exitCode(), limited.toString());
        assertEquals(4, limited.outLines().size(), "header, two rows, summary: " + limited);
        assertEquals("2 sessions shown; there may be more (raise --limit)", limited.outLines().get(3));
    }

    @Test
    void listOfAUserShowsOnlyTheirSessions() {
        CliRun run = run("list", "--user", "alice");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.outLines();
        assertEquals(Set.of(prefix(alice1) + " alice", prefix(alice2) + " alice"), idAndUser(lines.subList(1, lines.size() - 1)));
        assertEquals("2 sessions", lines.get(lines.size() - 1));

        CliRun nobody = run("list", "--user", "carol");
        assertEquals(0, nobody.exitCode(), nobody.toString());
        assertEquals("0 sessions", nobody.outLines().get(nobody.outLines().size() - 1));
    }

    @Test
    void showPrintsTheDecodedRecordByPrefixOrWholeId() throws Exception {
        CliRun run = run("show", prefix(alice1));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode record = JSON.readTree(run.out());
        assertEquals(prefix(alice1), record.get("id").asText());
        assertEquals("alice", record.get("user").asText());
        assertEquals(2, record.get("attributes").get("cart").get("apple").asInt());
        assertEquals("alice", record.get("attributes").get("user").asText());
        Instant created = Instant.parse(record.get("created").asText());
        assertTrue(record.get("version").asLong() >= 1);
        if (!record.get("expires").isNull()) {
            assertTrue(Instant.parse(record.get("expires").asText()).isAfter(created), run.out());
        }

        CliRun whole = run("show", "--full-id", anonymous);
        assertEquals(0, whole.exitCode(), whole.toString());
        assertEquals(anonymous, JSON.readTree(whole.out()).get("id").asText());
        assertTrue(JSON.readTree(whole.out()).get("user").isNull());
    }

    @Test
    void showAndRevokeOfAnUnknownSessionExitWithFive() {
        String unknown = "A".repeat(43);
        CliRun show = run("show", unknown);
        assertEquals(5, show.exitCode(), show.toString());
        assertEquals(1, show.err().lines().count(), show.toString());
        assertFalse(show.err().contains(unknown), "the id is not echoed whole");
        assertEquals(5, run("revoke", unknown).exitCode());
        assertEquals(5, run("show", "zzzzzzzzzz").exitCode(), "a prefix of no id");
    }

    @Test
    void revokeEndsOneSessionGivenByItsPrefix() {
        CliRun run = run("revoke", prefix(bob));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("revoked session " + prefix(bob), run.out().strip());
        assertFalse(stored(bob));
        assertTrue(stored(alice1));
        assertEquals("3", run("count").out().strip());
        assertEquals(5, run("revoke", bob).exitCode(), "revoked already");
    }

    @Test
    void revokeOfAUserEndsTheirSessionsExceptOne() {
        CliRun except = run("revoke", "--user", "alice", "--except", prefix(alice2));
        assertEquals(0, except.exitCode(), except.toString());
        assertEquals("revoked 1 session of user alice, kept " + prefix(alice2), except.out().strip());
        assertFalse(stored(alice1));
        assertTrue(stored(alice2));

        CliRun all = run("revoke", "--user", "alice");
        assertEquals(0, all.exitCode(), all.toString());
        assertEquals("revoked 1 session of user alice", all.out().strip());
        assertFalse(stored(alice2));
        assertTrue(stored(bob));
        assertTrue(stored(anonymous));
    }

    @Test
    void purgeExpiredDeletesWhatHasExpiredOrSaysTheStoreDoesIt() {
        // An hour later every seeded session (ten minutes of life) has expired.
        Supplier<SessionConfig.Builder> later = () -> settings()
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        CliRun run = CliRun.of(later, "purge-expired", "--progress");
        assertEquals(0, run.exitCode(), run.toString());
        if (keepsExpiredEntries()) {
            assertEquals("purged 4 expired sessions", run.out().strip());
            assertTrue(run.err().contains("purging expired sessions [") && run.err().strip().endsWith("done"), run.err());
            assertEquals("0", run("count").out().strip());
        } else {
            assertTrue(run.out().startsWith("nothing to purge: the '"), run.out());
            assertEquals("4", run("count").out().strip());
        }
    }

    @Test
    void checkProbesTheStoreAndListsItsCapabilities() {
        CliRun run = run("check");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("configuration: ok"), run.out());
        assertTrue(run.out().contains("connect: ok"), run.out());
        assertTrue(run.out().contains("probe: ok"), run.out());
        assertTrue(run.out().contains("\n  yes  PrincipalIndex "), run.out());
        assertTrue(run.out().contains("\n  yes  SessionListing "), run.out());
        assertEquals("4", run("count").out().strip(), "the probe left nothing behind");
    }

    static String prefix(String id) {
        return id.substring(0, 8);
    }

    private static Set<String> idAndUser(List<String> rows) {
        Set<String> found = new TreeSet<>();
        for (String row : rows) {
            String[] columns = row.trim().split("\\s+");
            found.add(columns[0] + " " + columns[1]);
        }
        return found;
    }
}
