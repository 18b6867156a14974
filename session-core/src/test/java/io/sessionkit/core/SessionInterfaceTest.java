package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.SessionValueException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SessionInterfaceTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    private CountingMemoryBackend backend = new CountingMemoryBackend();
    private SessionInterface sessions = engine(Map.of());

    private SessionInterface engine(Map<String, ?> settings) {
        SessionConfig config = SessionConfig.builder().fromMap(settings).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        return SessionInterface.create(config, backend);
    }

    private SessionInterface touchingEngine(Map<String, ?> settings) {
        backend = new CountingMemoryBackend.Touching();
        return sessions = engine(settings);
    }

    private static String cookieValue(SaveResult result) {
        String header = result.setCookieHeader();
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    /** A stored session with {@code user=ada}, as a browser would hold its cookie. */
    private String storedSession() {
        Session session = sessions.open(null);
        session.put("user", "ada");
        String cookie = cookieValue(sessions.save(session));
        backend.calls.clear();
        return cookie;
    }

    @Nested
    @DisplayName("store round trips")
    class RoundTrips {

        @Test
        void anUntouchedSessionCostsNothingAndVariesNothing() {
            String cookie = storedSession();
            assertEquals(SaveResult.NONE, sessions.save(sessions.open(cookie)));
            assertEquals(SaveResult.NONE, sessions.save(sessions.open(null)));
            assertEquals(List.of(), backend.calls);
        }

        @Test
        void aReadOnlyRequestCostsOneRoundTripWithTouchingLoad() {
            touchingEngine(Map.of());
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            assertEquals("ada", session.get("user"));
            SaveResult result = sessions.save(session);
            assertEquals(List.of("loadAndTouch session:" + cookie), backend.calls);
            assertNotNull(result.setCookieHeader(), "a refreshed permanent session renews its cookie");
        }

        @Test
        void aReadOnlyRequestLoadsAndTouchesWithoutTouchingLoad() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.get("user");
            sessions.save(session);
            assertEquals(List.of("load session:" + cookie, "touch session:" + cookie), backend.calls);
        }

        @Test
        void withoutRefreshAReadOnlyRequestOnlyLoadsAndSetsNoCookie() {
            sessions = engine(Map.of("SESSION_REFRESH_EACH_REQUEST", "false"));
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.get("user");
            SaveResult result = sessions.save(session);
            assertEquals(List.of("load session:" + cookie), backend.calls);
            assertEquals(new SaveResult(true, null, null), result);
        }

        @Test
        void aModifyingRequestCostsTwoRoundTrips() {
            touchingEngine(Map.of());
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.put("cart", List.of("apple"));
            sessions.save(session);
            assertEquals(List.of("loadAndTouch session:" + cookie, "save session:" + cookie), backend.calls);
        }

        @Test
        void aNewSessionThatStaysEmptyIsNeverStored() {
            Session session = sessions.open(null);
            assertTrue(session.isEmpty());
            assertEquals(new SaveResult(true, null, null), sessions.save(session));
            assertEquals(List.of(), backend.calls);
        }
    }

    @Nested
    @DisplayName("cookies")
    class Cookies {

        @Test
        void aPermanentSessionGetsAnExpiringHttpOnlyCookie() {
            Session session = sessions.open(null);
            session.put("k", "v");
            String header = sessions.save(session).setCookieHeader();
            assertEquals("session=" + session.id() + "; Expires=Sat, 02 Feb 2030 03:04:05 GMT; Max-Age=2678400; Path=/; HttpOnly", header);
            assertEquals(Duration.ofDays(31), backend.timeToLive.get("session:" + session.id()));
        }

        @Test
        void aNonPermanentSessionGetsABrowserSessionCookieAndIsNotRefreshed() {
            sessions = engine(Map.of("SESSION_PERMANENT", "false"));
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            assertFalse(session.isPermanent());
            session.get("user");
            assertNull(sessions.save(session).setCookieHeader());
            assertEquals(List.of("load session:" + cookie), backend.calls);
            Session changed = sessions.open(cookie);
            changed.put("x", 1);
            assertFalse(sessions.save(changed).setCookieHeader().contains("Expires"));
        }

        @Test
        void cookieAttributesFollowTheConfiguration() {
            sessions = engine(Map.of("SESSION_COOKIE_NAME", "sid", "SESSION_COOKIE_DOMAIN", "example.com", "SESSION_COOKIE_PATH", "/app",
                    "SESSION_COOKIE_SECURE", "true", "SESSION_COOKIE_SAMESITE", "lax", "SESSION_COOKIE_PARTITIONED", "true",
                    "PERMANENT_SESSION_LIFETIME", "PT30M"));
            Session session = sessions.open(null);
            session.put("k", "v");
            assertEquals("sid=" + session.id() + "; Expires=Wed, 02 Jan 2030 03:34:05 GMT; Max-Age=1800; Domain=example.com; Path=/app;"
                    + " Secure; HttpOnly; SameSite=Lax; Partitioned", sessions.save(session).setCookieHeader());
        }

        @Test
        void aDeletedCookieKeepsPathDomainSecureAndSameSite() {
            sessions = engine(Map.of("SESSION_COOKIE_DOMAIN", "example.com", "SESSION_COOKIE_PATH", "/app",
                    "SESSION_COOKIE_SECURE", "true", "SESSION_COOKIE_SAMESITE", "Strict"));
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.invalidate();
            assertEquals("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Domain=example.com; Path=/app; Secure; HttpOnly;"
                    + " SameSite=Strict", sessions.save(session).setCookieHeader());
        }

        @Test
        void varyCookieIsSetByAnyReadIncludingContainsKeyAndSize() {
            assertTrue(sessions.save(withUse(s -> s.containsKey("x"))).vary());
            assertTrue(sessions.save(withUse(Session::size)).vary());
            assertTrue(sessions.save(withUse(Session::isEmpty)).vary());
            assertFalse(sessions.save(sessions.open(null)).vary());
        }

        private Session withUse(java.util.function.Consumer<Session> use) {
            Session session = sessions.open(null);
            use.accept(session);
            return session;
        }
    }

    @Nested
    @DisplayName("untrusted cookies")
    class UntrustedCookies {

        @ParameterizedTest
        @ValueSource(strings = {"../../etc/passwd", "", "short", "a b", "ÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄ",
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP/", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR",
                "abcdefghijklmnopqrstuvwxyz+BCDEFGHIJKLMNOPQ", "\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO\""})
        void aCookieThatIsNotAnIdNeverReachesTheStore(String cookie) {
            Session session = sessions.open(cookie);
            assertTrue(session.isNew());
            assertNotEquals(cookie, session.id());
            assertEquals(List.of(), backend.callsStartingWith("load"), "the store was asked for " + cookie);
        }

        @Test
        void anOversizedCookieNeverReachesTheStore() {
            Session session = sessions.open("A".repeat(10_000));
            assertTrue(session.isNew());
            assertEquals(List.of(), backend.calls);
        }

        @Test
        void anUnknownIdGivesAFreshSessionWithANewIdAndExpiresTheDeadCookie() {
            String planted = "P".repeat(43);
            Session session = sessions.open(planted);
            assertTrue(session.isNew());
            assertNotEquals(planted, session.id(), "an id the store does not hold is never adopted (session fixation)");
            assertTrue(sessions.save(session).setCookieHeader().startsWith("session=; Expires=Thu, 01 Jan 1970"));
        }

        @Test
        void corruptStoredDataGivesAFreshSession() {
            String cookie = storedSession();
            backend.entries.put("session:" + cookie, "\u0000garbage".getBytes(StandardCharsets.UTF_8));
            Session session = sessions.open(cookie);
            assertTrue(session.isNew());
            assertTrue(session.isEmpty());
        }
    }

    @Nested
    @DisplayName("signed cookies")
    class SignedCookies {

        private final Map<String, String> signed = Map.of("SESSION_USE_SIGNER", "true", "SECRET_KEY", "current-key");

        @Test
        void aSignedCookieIsAcceptedAndATamperedOneNeverReachesTheStore() {
            sessions = engine(signed);
            String cookie = storedSession();
            assertTrue(cookie.contains("."), cookie);
            assertEquals("ada", sessions.open(cookie).get("user"));
            backend.calls.clear();

            String id = cookie.substring(0, cookie.indexOf('.'));
            String otherFirst = (cookie.charAt(0) == 'x' ? "y" : "x") + cookie.substring(1);
            for (String forged : List.of(id, id + ".", id + ".AAAA", cookie.substring(0, cookie.length() - 2), otherFirst)) {
                Session session = sessions.open(forged);
                assertTrue(session.isNew(), forged);
            }
            assertEquals(List.of(), backend.callsStartingWith("load"));
        }

        @Test
        void aCookieSignedWithAFallbackKeyIsAcceptedAndReSignedWithTheCurrentKey() {
            sessions = engine(Map.of("SESSION_USE_SIGNER", "true", "SECRET_KEY", "old-key"));
            String oldCookie = storedSession();
            sessions = engine(Map.of("SESSION_USE_SIGNER", "true", "SECRET_KEY", "new-key", "SECRET_KEY_FALLBACKS", "[\"old-key\"]"));
            Session session = sessions.open(oldCookie);
            assertEquals("ada", session.get("user"));
            String renewed = cookieValue(sessions.save(session));
            assertNotEquals(oldCookie, renewed);
            assertEquals(oldCookie.substring(0, 43), renewed.substring(0, 43), "same session, new signature");
            assertEquals("ada", engine(Map.of("SESSION_USE_SIGNER", "true", "SECRET_KEY", "new-key")).open(renewed).get("user"));
        }
    }

    @Nested
    @DisplayName("life cycle")
    class LifeCycle {

        @Test
        void regenerateDeletesTheOldRecordThenKeepsTheDataUnderANewId() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.regenerate();
            String newId = session.id();
            assertNotEquals(cookie, newId);
            String header = sessions.save(session).setCookieHeader();
            assertTrue(header.startsWith("session=" + newId + ";"));
            assertEquals(List.of("load session:" + cookie, "delete session:" + cookie, "save session:" + newId), backend.calls);
            assertEquals("ada", sessions.open(newId).get("user"));
            assertTrue(sessions.open(cookie).isNew());
        }

        @Test
        void aRegenerateWhoseOldRecordCannotBeDeletedWritesNothing() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.put("role", "admin");
            session.regenerate();
            String newId = session.id();
            backend.failingVerb = "delete";
            backend.failure = new IllegalStateException("connection reset");
            SessionBackendException error = assertThrows(SessionBackendException.class, () -> sessions.save(session));
            assertEquals("delete", error.operation());
            backend.failure = null;
            assertFalse(backend.entries.containsKey("session:" + newId), "no record the browser never learns of");
            assertNull(sessions.open(cookie).get("role"), "the old session is as it was");
        }

        @Test
        void aRegenerateWhoseNewRecordCannotBeSavedLeavesTheOldIdInvalid() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.regenerate();
            String newId = session.id();
            backend.failingVerb = "save";
            backend.failure = new IllegalStateException("connection reset");
            assertThrows(SessionBackendException.class, () -> sessions.save(session));
            backend.failure = null;
            assertTrue(sessions.open(cookie).isNew(), "the old id is no longer valid");
            assertTrue(sessions.open(newId).isNew());
        }

        @Test
        void invalidateDeletesTheRecordAndExpiresTheCookie() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.invalidate();
            assertTrue(session.isEmpty());
            SaveResult result = sessions.save(session);
            assertTrue(result.setCookieHeader().startsWith("session=;"));
            assertFalse(backend.entries.containsKey("session:" + cookie));
        }

        @Test
        void aSessionUsedAgainAfterInvalidateIsSavedUnderANewId() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.invalidate();
            session.put("user", "grace");
            String newCookie = cookieValue(sessions.save(session));
            assertNotEquals(cookie, newCookie);
            assertFalse(backend.entries.containsKey("session:" + cookie));
            assertEquals("grace", sessions.open(newCookie).get("user"));
        }

        @Test
        void emptyingASessionDeletesItAndExpiresTheCookie() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.remove("user");
            assertTrue(sessions.save(session).setCookieHeader().startsWith("session=;"));
            assertEquals(List.of("load session:" + cookie, "delete session:" + cookie), backend.calls);
        }

        @Test
        void theStoredTimeToLiveIsTheLifetime() {
            sessions = engine(Map.of("PERMANENT_SESSION_LIFETIME", "3600"));
            Session session = sessions.open(null);
            session.put("k", 1);
            sessions.save(session);
            assertEquals(Duration.ofHours(1), backend.timeToLive.get("session:" + session.id()));
        }

        @Test
        void changingThePermanentFlagIsSaved() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.setPermanent(false);
            assertTrue(session.isModified());
            sessions.save(session);
            assertFalse(sessions.open(cookie).isPermanent());
        }
    }

    @Nested
    @DisplayName("size limit and failures")
    class Limits {

        @Test
        void aSessionOverTheMaxSizeIsRefusedAndThePreviousOneStays() {
            sessions = engine(Map.of("SESSION_MAX_SIZE", "200"));
            String cookie = storedSession();
            byte[] before = backend.entries.get("session:" + cookie);
            Session session = sessions.open(cookie);
            session.put("blob", "x".repeat(500));
            SessionTooLargeException error = assertThrows(SessionTooLargeException.class, () -> sessions.save(session));
            assertEquals(200, error.limit());
            assertTrue(error.getMessage().contains("SESSION_MAX_SIZE"), error.getMessage());
            assertArrayEquals(before, backend.entries.get("session:" + cookie));
            assertEquals("ada", sessions.open(cookie).get("user"));
        }

        @Test
        void aRegeneratedSessionOverTheLimitKeepsItsOldRecord() {
            sessions = engine(Map.of("SESSION_MAX_SIZE", "200"));
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            session.regenerate();
            session.put("blob", "x".repeat(500));
            assertThrows(SessionTooLargeException.class, () -> sessions.save(session));
            assertTrue(backend.entries.containsKey("session:" + cookie), "nothing is deleted when the save is refused");
        }

        @Test
        void failuresOfAHandedInBackendNameItsClassAndTheOperation() {
            String cookie = storedSession();
            backend.failure = new IllegalStateException("connection refused");
            Session session = sessions.open(cookie);
            SessionBackendException error = assertThrows(SessionBackendException.class, () -> session.get("user"));
            assertEquals("load", error.operation());
            assertEquals(CountingMemoryBackend.class.getName(), error.backendType(),
                    "the backend in use, not the SESSION_TYPE it was not created from");
            assertEquals(CountingMemoryBackend.class.getName(), sessions.backendName());
            assertTrue(error.getMessage().contains("connection refused"), error.getMessage());
        }
    }

    @Nested
    @DisplayName("values and change tracking")
    class Values {

        record CartItem(String name, int quantity) {
        }

        @Test
        void typedReadsConvertWhatCameBackFromTheStore() {
            Session first = sessions.open(null);
            first.put("item", new CartItem("apple", 3));
            first.put("items", List.of(new CartItem("pear", 1)));
            first.put("count", 7);
            String cookie = cookieValue(sessions.save(first));

            Session second = sessions.open(cookie);
            assertInstanceOf(Map.class, second.get("item"), "read back untyped, values are generic");
            assertEquals(new CartItem("apple", 3), second.get("item", CartItem.class));
            assertEquals(List.of(new CartItem("pear", 1)),
                    second.get("items", new com.fasterxml.jackson.core.type.TypeReference<List<CartItem>>() { }.getType()));
            assertEquals(7L, second.get("count", Long.class));
            assertNull(second.get("missing", CartItem.class));
            assertThrows(SessionValueException.class, () -> second.get("count", CartItem.class));
        }

        @Test
        void aNestedChangeIsSavedAfterMarkModified() {
            Session first = sessions.open(null);
            first.put("cart", new ArrayList<>(List.of("apple")));
            String cookie = cookieValue(sessions.save(first));

            Session second = sessions.open(cookie);
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) second.get("cart");
            cart.add("pear");
            assertFalse(second.isModified(), "a change inside a value is invisible");
            second.markModified("cart");
            assertEquals(Set.of("cart"), second.changedKeys());
            sessions.save(second);
            assertEquals(List.of("apple", "pear"), sessions.open(cookie).get("cart"));
        }

        @Test
        void theChangeSetIsExact() {
            Session first = sessions.open(null);
            first.put("kept", 1);
            first.put("dropped", 2);
            first.put("reset", 3);
            String cookie = cookieValue(sessions.save(first));

            Session session = sessions.open(cookie);
            session.put("added", 4);
            session.remove("dropped");
            session.remove("reset");
            session.put("reset", 5);
            session.put("transient", 6);
            session.remove("transient");
            session.remove("never-there");
            assertEquals(List.of("added", "reset"), List.copyOf(session.changedKeys()));
            assertEquals(Set.of("dropped"), session.removedKeys(), "keys the stored session did not have are not removals");
        }

        @Test
        void viewsAreReadOnlySoEveryChangeIsTracked() {
            Session session = sessions.open(null);
            session.put("k", 1);
            assertThrows(UnsupportedOperationException.class, () -> session.keySet().remove("k"));
            assertThrows(UnsupportedOperationException.class, () -> session.entrySet().iterator().next().setValue(2));
            session.replaceAll((k, v) -> 2);
            assertEquals(2, session.get("k"));
            session.merge("k", 3, (a, b) -> (Integer) a + (Integer) b);
            assertEquals(5, session.get("k"));
            assertEquals(Set.of("k"), session.changedKeys());
        }

        @Test
        void toStringNeverLoadsNorPrintsValues() {
            String cookie = storedSession();
            Session session = sessions.open(cookie);
            assertEquals("Session[not loaded]", session.toString());
            assertEquals(List.of(), backend.calls);
            session.get("user");
            assertEquals("Session[user]", session.toString());
        }
    }
}
