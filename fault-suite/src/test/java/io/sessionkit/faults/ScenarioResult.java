package io.sessionkit.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one scenario measured. Only correctness is asserted ({@link #assertNothingLost()}); the
 * figures are recorded in the results file.
 *
 * @param store              the store, such as {@code redis, appendfsync always}
 * @param fault              what was done to it
 * @param clients            concurrent clients, the misbehaving one included
 * @param length             from the first request to the last answer
 * @param requests           requests answered (or failed) in all
 * @param unavailable        answers {@code 503}
 * @param slowestAnswer      the longest wait for one answer
 * @param lostDuringRun      clients whose session, as the application answered it, had lost
 *                           acknowledged writes during the run
 * @param longest503AfterBack the longest unbroken run of {@code 503}s of one client, counted from
 *                           the moment the store was back (zero when none outlasted it)
 * @param allServedAfter     from the store's return until every client had a write acknowledged
 *                           again, or {@code null} when one never had
 * @param refusals           the misbehaving client's answers, per request kind and status
 * @param audit              the sessions as found in the store afterwards
 * @param logErrors          error lines logged during the run
 * @param logSample          one of them (the first that names the fault, where asked), or {@code null}
 * @param problems           every rule a client saw broken, and anything else that went wrong
 */
record ScenarioResult(String store, String fault, int clients, Duration length, long requests, long unavailable,
                      Duration slowestAnswer, int lostDuringRun, Duration longest503AfterBack, Duration allServedAfter, Map<String, Long> refusals,
                      SessionAudit audit, long logErrors, String logSample, List<String> problems) {

    /**
     * Asserts what must hold however the machine performs: no acknowledged write lost, no
     * session missing or corrupted, no answer other than the documented ones, every client
     * served again once the store was back, and the fault visible as {@code 503}s.
     */
    void assertNothingLost() {
        assertAll(store + ", " + fault,
                () -> assertEquals(0, problems.size(), () -> problems.size() + " broken rules, such as " + firstFew(problems)),
                () -> assertEquals(0, lostDuringRun, "clients whose acknowledged writes were lost during the run"),
                () -> assertEquals(0, audit.findings().size(), () -> "sessions lost or corrupted: " + firstFew(audit.findings())),
                () -> assertEquals(0, audit.missing(), "sessions missing"),
                () -> assertEquals(0, audit.corrupted(), "sessions corrupted"),
                () -> assertEquals(0, audit.wrongValue(), "sessions with a wrong counter"),
                () -> assertEquals(clients, audit.audited(), "every client had a session to audit"),
                () -> assertNotNull(allServedAfter, "a client was not served again after the store was back"),
                () -> assertTrue(unavailable > 0, "the fault caused no 503: it was not felt"),
                () -> assertTrue(refusals.getOrDefault("OVERSIZED_NOTE 500", 0L) > 0, "no oversized note was refused: " + refusals),
                () -> assertTrue(refusals.getOrDefault("BAD_BODY 400", 0L) > 0, "no bad body was refused: " + refusals),
                () -> assertTrue(refusals.getOrDefault("BAD_COOKIE 200", 0L) > 0, "no bad cookie was answered: " + refusals));
    }

    private static List<String> firstFew(List<String> lines) {
        return lines.subList(0, Math.min(5, lines.size()));
    }

    /** @return sessions whose acknowledged writes were lost, during the run or found so afterwards */
    int lost() {
        return lostDuringRun + audit.lost();
    }

    /** @return the results table's row */
    String row() {
        return "| " + store + " | " + fault + " | " + clients + " | " + length.toSeconds() + " s | " + requests + " | "
                + unavailable + " | " + millis(slowestAnswer) + " | " + millis(longest503AfterBack) + " | "
                + millis(allServedAfter) + " | " + audit.audited() + " | " + lost() + " | " + audit.corrupted() + " | " + audit.inFlightApplied() + " | "
                + refusals.getOrDefault("OVERSIZED_NOTE 500", 0L) + " / " + refusals.getOrDefault("BAD_BODY 400", 0L)
                + " / " + refusals.getOrDefault("BAD_COOKIE 200", 0L) + " |";
    }

    /** @return the table's column names, matching {@link #row()} */
    static List<String> columns() {
        return List.of("store", "fault", "clients", "run", "requests", "503s", "slowest answer",
                "longest 503 window after the store was back", "all clients served again after", "sessions audited",
                "lost", "corrupted", "in-flight write applied (allowed)",
                "refused: too large (500) / bad body (400) / bad cookie (fresh session)");
    }

    private static String millis(Duration duration) {
        return duration == null ? "never" : duration.toMillis() + " ms";
    }
}
