package io.sessionkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.spi.SessionRecord;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz test of the engine's promise that a cookie failing the id syntax or signature check counts
 * as no cookie and never reaches the backend. Each input line is one {@code Cookie} header, handed
 * to {@link SessionInterface#cookieValues} and {@link SessionInterface#openFromCookies} as the
 * servlet filter does, for an engine with {@code SESSION_USE_SIGNER} and for one without; the
 * session is then read, which loads it if a cookie named it. Every backend call must be the load
 * of a cookie value that passes the check as judged apart from the engine (base64url id of the
 * configured length; with the signer, signed as itsdangerous does with the current or the old
 * key), and a cookie naming the stored session among the first candidates must find it.
 * The committed inputs under {@code RejectedCookieFuzzTestInputs} include the stored session's
 * correctly signed cookie and many near misses (docs/fuzzing.md).
 */
class RejectedCookieFuzzTest {

    /** The stored session's id; its cookie is {@code STORED_ID} signed with the current or the old key. */
    static final String STORED_ID = "Pj2wG4q3c0lFh4n6o2Uq5Y9bqZ8cVv0xW1mN3tR7sKA";
    private static final String SECRET_KEY = HmacSessionIdSignerFuzzTest.SECRET_KEY;
    private static final String OLD_SECRET_KEY = HmacSessionIdSignerFuzzTest.OLD_SECRET_KEY;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern SIGNED_ID = Pattern.compile("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}");
    private static final int MAX_CANDIDATES = SessionInterface.MAX_COOKIE_CANDIDATES;

    private static final CountingMemoryBackend SIGNED_BACKEND = storing(STORED_ID);
    private static final SessionInterface SIGNED = SessionInterface.create(SessionConfig.builder()
            .set(ConfigKeys.SESSION_USE_SIGNER, true)
            .set(ConfigKeys.SECRET_KEY, SECRET_KEY)
            .set(ConfigKeys.SECRET_KEY_FALLBACKS, List.of(OLD_SECRET_KEY))
            .build(), SIGNED_BACKEND);
    private static final CountingMemoryBackend UNSIGNED_BACKEND = storing(STORED_ID);
    private static final SessionInterface UNSIGNED = SessionInterface.create(SessionConfig.builder().build(), UNSIGNED_BACKEND);

    @FuzzTest
    void rejectedCookiesNeverReachTheBackend(byte[] input) {
        List<String> headers = SessionCookieFuzzTest.lines(input);
        check(SIGNED, SIGNED_BACKEND, headers, RejectedCookieFuzzTest::passesSignedCheck);
        check(UNSIGNED, UNSIGNED_BACKEND, headers, value -> ID.matcher(value).matches());
    }

    private static void check(SessionInterface engine, CountingMemoryBackend backend, List<String> headers,
                              java.util.function.Predicate<String> passes) {
        backend.calls.clear();
        List<String> values = engine.cookieValues(headers.iterator());
        Session session = engine.openFromCookies(values);
        Object user = session.get("user");

        Set<String> candidates = new LinkedHashSet<>();
        for (String value : values) {
            if (candidates.size() == MAX_CANDIDATES) {
                break;
            }
            candidates.add(value);
        }
        Set<String> allowedLoads = new LinkedHashSet<>();
        boolean namesStored = false;
        for (String candidate : candidates) {
            if (passes.test(candidate)) {
                String id = candidate.substring(0, 43);
                allowedLoads.add("load session:" + id);
                namesStored |= id.equals(STORED_ID);
            }
        }
        for (String call : backend.calls) {
            assertTrue(allowedLoads.contains(call), () -> "backend call '" + call + "' for the cookie values " + values);
        }
        assertTrue(backend.calls.size() <= MAX_CANDIDATES, () -> backend.calls + " for " + values);
        assertEquals(namesStored, "ada".equals(user), () -> "stored session found: " + user + ", for " + values);
    }

    private static boolean passesSignedCheck(String value) {
        if (!SIGNED_ID.matcher(value).matches()) {
            return false;
        }
        String id = value.substring(0, 43);
        return value.equals(ReferenceSigner.sign(SECRET_KEY, "sessionkit", "sha256", id))
                || value.equals(ReferenceSigner.sign(OLD_SECRET_KEY, "sessionkit", "sha256", id));
    }

    private static CountingMemoryBackend storing(String id) {
        CountingMemoryBackend backend = new CountingMemoryBackend();
        backend.entries.put("session:" + id, new JsonSessionSerializer().serialize(new SessionRecord(Map.of("user", "ada"), true)));
        return backend;
    }
}
