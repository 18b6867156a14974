package io.sessionkit.core;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * itsdangerous's {@code Signer} (key derivation {@code "hmac"}) written out step by step, apart
 * from {@link HmacSessionIdSigner}: the fuzz tests judge every value the signer accepts against it.
 */
final class ReferenceSigner {

    private ReferenceSigner() {
    }

    /** {@code id + "." + base64url(HMAC(HMAC(secretKey, salt), id))}, unpadded, all text as UTF-8. */
    static String sign(String secretKey, String salt, String digest, String id) {
        String algorithm = "Hmac" + digest.toUpperCase(java.util.Locale.ROOT);
        byte[] derivedKey = hmac(algorithm, secretKey.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8));
        byte[] signature = hmac(algorithm, derivedKey, id.getBytes(StandardCharsets.UTF_8));
        return id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
