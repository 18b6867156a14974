package io.sessionkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz tests of signature verification: no value that {@code sign()} did not make with one of
 * the keys is ever accepted, and {@code unsign} never fails, whatever the bytes. The committed
 * inputs under {@code HmacSessionIdSignerFuzzTestInputs} include values signed with
 * {@link #SECRET_KEY} and {@link #OLD_SECRET_KEY}, so that the fuzzer mutates real signatures
 * (docs/fuzzing.md).
 */
class HmacSessionIdSignerFuzzTest {

    static final String SECRET_KEY = "fuzzing-secret-key";
    static final String OLD_SECRET_KEY = "fuzzing-old-secret-key";
    static final String SALT = "sessionkit";
    static final String DIGEST = "sha256";

    private static final HmacSessionIdSigner SIGNER = new HmacSessionIdSigner(List.of(SECRET_KEY, OLD_SECRET_KEY), SALT, DIGEST);

    /**
     * The input, as UTF-8, is a cookie value: when it is accepted, it is exactly the value that
     * itsdangerous makes of the id with the current or the old key; nothing else (another
     * base64 spelling, padding, a truncated or empty signature, a changed id) passes.
     */
    @FuzzTest
    void onlyValuesSignedWithAKeyAreAccepted(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        Optional<String> id = SIGNER.unsign(value);
        if (id.isPresent()) {
            assertTrue(value.equals(ReferenceSigner.sign(SECRET_KEY, SALT, DIGEST, id.get()))
                    || value.equals(ReferenceSigner.sign(OLD_SECRET_KEY, SALT, DIGEST, id.get())), () -> "forgery accepted: " + value);
        }
    }

    /**
     * The input is two ids, one per line: the first is signed and its signature put on the second.
     * That value is accepted only when the two ids are the same, so a signature never vouches for
     * another id, however the ids' characters are encoded. An id with characters outside US-ASCII,
     * which no session id has, is refused by {@code sign} with the documented
     * {@link IllegalArgumentException}.
     */
    @FuzzTest
    void aSignatureVouchesForItsOwnIdOnly(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String signedId = newline < 0 ? text : text.substring(0, newline);
        String otherId = newline < 0 ? text + "x" : text.substring(newline + 1);
        String signed;
        try {
            signed = SIGNER.sign(signedId);
        } catch (IllegalArgumentException documented) {
            assertFalse(signedId.chars().allMatch(c -> c < 0x80), () -> "an ASCII id was not signed: " + signedId);
            return;
        }
        String signature = signed.substring(signed.lastIndexOf('.') + 1);
        Optional<String> accepted = SIGNER.unsign(otherId + "." + signature);
        if (!otherId.equals(signedId)) {
            assertEquals(Optional.empty(), accepted, () -> "the signature of '" + signedId + "' was accepted for '" + otherId + "'");
        }
    }
}
