package io.sessionkit.core;

import io.sessionkit.spi.SessionIdSigner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Signs session ids in the format of Python itsdangerous's {@code Signer} with key derivation
 * {@code "hmac"}: {@code id + "." + base64url(HMAC(derivedKey, id))} without padding, where
 * {@code derivedKey = HMAC(secretKey, salt)}.
 *
 * <p>With salt {@code flask-session} and digest {@code sha1}, the ids signed by Flask-Session
 * ({@code SESSION_USE_SIGNER = True}) and by SessionKit are interchangeable given the same
 * {@code SECRET_KEY}. The first key signs; every key, the fallbacks included, verifies, so a
 * key can be rotated without logging everyone out. Verification compares in constant time.
 * Thread-safe.
 */
public final class HmacSessionIdSigner implements SessionIdSigner {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String algorithm;
    private final List<SecretKeySpec> derivedKeys;
    // A Mac is stateful and costly to create: keep one per thread per key.
    private final ThreadLocal<Mac[]> macs;

    /**
     * @param secretKeys the keys, the signing one first, then fallbacks; at least one
     * @param salt       the derivation salt
     * @param digest     {@code sha1}, {@code sha256}, {@code sha384} or {@code sha512}
     */
    public HmacSessionIdSigner(List<String> secretKeys, String salt, String digest) {
        if (secretKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret key is required");
        }
        this.algorithm = "Hmac" + digest.toUpperCase(Locale.ROOT).replace("-", "");
        List<SecretKeySpec> keys = new ArrayList<>();
        for (String secretKey : secretKeys) {
            byte[] derived = hmac(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), algorithm),
                    salt.getBytes(StandardCharsets.UTF_8));
            keys.add(new SecretKeySpec(derived, algorithm));
        }
        this.derivedKeys = List.copyOf(keys);
        this.macs = ThreadLocal.withInitial(() -> new Mac[derivedKeys.size()]);
    }

    /**
     * @param config a configuration with {@code SESSION_USE_SIGNER} on
     * @return the signer it describes
     */
    public static HmacSessionIdSigner from(SessionConfig config) {
        return new HmacSessionIdSigner(config.secretKeys(), config.signerSalt(), config.signerDigest());
    }

    /**
     * @throws IllegalArgumentException when the id has a character outside US-ASCII, which no
     *                                  session id has: signed as bytes, it would be indistinguishable
     *                                  from {@code '?'}
     */
    @Override
    public String sign(String sessionId) {
        if (!isAscii(sessionId)) {
            throw new IllegalArgumentException("a session id is US-ASCII text; this one has other characters");
        }
        return sessionId + '.' + ENCODER.encodeToString(signature(0, sessionId));
    }

    @Override
    public Optional<String> unsign(String cookieValue) {
        int dot = cookieValue.lastIndexOf('.');
        if (dot <= 0 || dot == cookieValue.length() - 1) {
            return Optional.empty();
        }
        String id = cookieValue.substring(0, dot);
        if (!isAscii(id)) {
            // As bytes, every other character would read as '?', so this id would carry the signature
            // of the id with '?' in its place. No id is signed with one.
            return Optional.empty();
        }
        // Compare the encoded text, not decoded bytes: a decoder ignores the unused low bits of the
        // last character, so several spellings would decode to one valid signature.
        byte[] given = cookieValue.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        for (int key = 0; key < derivedKeys.size(); key++) {
            byte[] expected = ENCODER.encode(signature(key, id));
            if (MessageDigest.isEqual(given, expected)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private byte[] signature(int keyIndex, String value) {
        Mac[] perThread = macs.get();
        Mac mac = perThread[keyIndex];
        if (mac == null) {
            mac = newMac(derivedKeys.get(keyIndex));
            perThread[keyIndex] = mac;
        }
        return mac.doFinal(value.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        return newMac(key).doFinal(message);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no " + key.getAlgorithm(), e);
        }
    }
}
