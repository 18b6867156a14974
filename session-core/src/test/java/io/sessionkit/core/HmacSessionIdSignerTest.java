package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class HmacSessionIdSignerTest {

    private static final String ID = "Pj2wG4q3c0lFh4n6o2Uq5Y9bqZ8cVv0xW1mN3tR7sKA";

    /**
     * Produced by Python itsdangerous 2.2.0:
     * {@code Signer("flask-secret-key", salt="flask-session", key_derivation="hmac", digest_method=hashlib.sha1).sign(ID)},
     * which is how Flask-Session signs ids with SESSION_USE_SIGNER.
     */
    private static final String FLASK_SESSION_SIGNED = ID + ".3d3LtRrAJQSwsrFfczjyfarXgs0";
    /** itsdangerous 2.2.0 with salt "sessionkit" and SHA-256: SessionKit's defaults. */
    private static final String DEFAULTS_SIGNED = ID + ".pw4gd20k7gtSPpQtPcsbDUjHk1zDH9qttYm6NkK2Wls";

    @Test
    void signsExactlyLikeFlaskSessionWithItsSaltAndSha1() {
        HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", "sha1");
        assertEquals(FLASK_SESSION_SIGNED, signer.sign(ID));
        assertEquals(Optional.of(ID), signer.unsign(FLASK_SESSION_SIGNED));
    }

    @Test
    void signsLikeItsdangerousWithTheDefaults() {
        SessionConfig config = SessionConfig.builder().set("SESSION_USE_SIGNER", true).set("SECRET_KEY", "flask-secret-key").build();
        HmacSessionIdSigner signer = HmacSessionIdSigner.from(config);
        assertEquals(DEFAULTS_SIGNED, signer.sign(ID));
    }

    @Test
    void rejectsEveryAlterationIncludingNonCanonicalBase64OfTheRightSignature() {
        HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", "sha1");
        for (String forged : List.of(ID, ID + ".", "." + ID, ID + ".3d3LtRrAJQSwsrFfczjyfarXgs1", "Q" + FLASK_SESSION_SIGNED.substring(1),
                ID + ".3d3LtRrAJQSwsrFfczjyfarXgs", ID + ".!!!", FLASK_SESSION_SIGNED + "=")) {
            assertEquals(Optional.empty(), signer.unsign(forged), forged);
        }
    }

    @Test
    void theSignatureOfAnIdWithAQuestionMarkDoesNotVouchForOtherCharactersInItsPlace() {
        // Signed as US-ASCII bytes, 'é' and '☃' became '?' too, so this signature passed for them.
        HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", "sha1");
        String signature = signer.sign("ab?cd").substring("ab?cd".length());
        assertEquals(Optional.of("ab?cd"), signer.unsign("ab?cd" + signature));
        assertEquals(Optional.empty(), signer.unsign("abécd" + signature));
        assertEquals(Optional.empty(), signer.unsign("ab\u2603cd" + signature));
        // and the other way round: an id with such characters is not signed at all, or its signature would pass for '?'
        assertThrows(IllegalArgumentException.class, () -> signer.sign("ab\ufffdcd"));
    }

    @Test
    void fallbackKeysVerifyButNeverSign() {
        HmacSessionIdSigner rotated = new HmacSessionIdSigner(List.of("new-key", "flask-secret-key"), "flask-session", "sha1");
        assertEquals(Optional.of(ID), rotated.unsign(FLASK_SESSION_SIGNED));
        assertNotEquals(FLASK_SESSION_SIGNED, rotated.sign(ID));
        HmacSessionIdSigner newOnly = new HmacSessionIdSigner(List.of("new-key"), "flask-session", "sha1");
        assertEquals(Optional.of(ID), newOnly.unsign(rotated.sign(ID)));
        assertEquals(Optional.empty(), newOnly.unsign(FLASK_SESSION_SIGNED));
    }

    @Test
    void isUsableFromManyThreads() throws InterruptedException {
        HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", "sha1");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    if (!FLASK_SESSION_SIGNED.equals(signer.sign(ID)) || signer.unsign(FLASK_SESSION_SIGNED).isEmpty()) {
                        wrong.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, wrong.get());
    }

    @Test
    void atLeastOneKeyIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new HmacSessionIdSigner(List.of(), "salt", "sha256"));
    }

    @Test
    void anEmptyIdIsNeverAcceptedEvenWhenCorrectlySigned() {
        HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", "sha1");
        String signedEmpty = signer.sign("");
        assertTrue(signedEmpty.startsWith("."), signedEmpty);
        assertEquals(Optional.empty(), signer.unsign(signedEmpty));
    }

    @Test
    void everyDigestSignsAndVerifiesWithItsOwnSignatureLength() {
        for (String digest : List.of("sha1", "sha256", "SHA-384", "sha512")) {
            HmacSessionIdSigner signer = new HmacSessionIdSigner(List.of("flask-secret-key"), "flask-session", digest);
            String signed = signer.sign(ID);
            int bytes = switch (digest) {
                case "sha1" -> 20;
                case "sha256" -> 32;
                case "SHA-384" -> 48;
                default -> 64;
            };
            assertEquals(ID.length() + 1 + (bytes * 4 + 2) / 3, signed.length(), digest);
            assertEquals(Optional.of(ID), signer.unsign(signed), digest);
        }
    }
}
