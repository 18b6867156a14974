package io.sessionkit.redis;

import io.sessionkit.spi.VersionedEntry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a session key holds: a 20-byte header, then the session's bytes. The header is the four
 * bytes {@code 00 53 4B 56} ({@code "\0SKV"}) and the entry's version as 16 lower-case
 * hexadecimal digits: the first 8 bytes of the SHA-1 of the session's bytes, computed here when
 * writing them. A script then learns an entry's version from its first 20 bytes
 * ({@code GETRANGE}) instead of handing the whole value through Lua and hashing it there, which
 * for a 16 KB session was 47 of the 79 µs a conditional save took on the server; a read takes
 * the version from the header instead of hashing the value in this process.
 *
 * <p>A value without the header, as the releases before it wrote, is the session's bytes alone;
 * its version is their digest as before, here and in the scripts ({@link #LUA_VERSION}), so such
 * values load and are replaced or deleted conditionally as ever, with the same versions; the next
 * write gives them the header. No serializer SessionKit ships writes a zero byte first (JSON
 * starts with {@code '{'}, Smile with {@code ':'}, CBOR with a map or tag byte).
 */
final class RedisStoredValue {

    static final int HEADER_LENGTH = 20;
    private static final byte[] MAGIC = {0, 'S', 'K', 'V'};
    private static final int VERSION_DIGITS = 16;

    /**
     * A Lua function {@code version(key)} for the scripts: the entry's version as 16 hexadecimal
     * digits, or {@code nil} when the key does not exist; from the header, or from the digest of
     * a value written without one.
     */
    static final String LUA_VERSION = """
            local function version(key)
              local head = redis.call('GETRANGE', key, 0, 19)
              if #head == 20 and string.byte(head, 1) == 0 and string.sub(head, 2, 4) == 'SKV' then
                local digits = string.sub(head, 5, 20)
                if string.find(digits, '^[0-9a-f]+$') then return digits end
              end
              local value = redis.call('GET', key)
              if not value then return nil end
              return string.sub(redis.sha1hex(value), 1, 16)
            end
            """;

    private RedisStoredValue() {
    }

    /**
     * @param value a session's bytes
     * @return what the key holds for them: the header with their version, then the bytes
     */
    static byte[] of(byte[] value) {
        byte[] stored = new byte[HEADER_LENGTH + value.length];
        System.arraycopy(MAGIC, 0, stored, 0, MAGIC.length);
        System.arraycopy(hex(versionOf(value)), 0, stored, MAGIC.length, VERSION_DIGITS);
        System.arraycopy(value, 0, stored, HEADER_LENGTH, value.length);
        return stored;
    }

    /**
     * @param stored a value from {@link #of}
     * @return its version as the scripts compare it, from its header
     */
    static byte[] versionDigits(byte[] stored) {
        return Arrays.copyOfRange(stored, MAGIC.length, HEADER_LENGTH);
    }

    /**
     * @param stored what a key holds, or {@code null}
     * @return the session's bytes, or {@code null}
     */
    static byte[] value(byte[] stored) {
        return stored == null || !hasHeader(stored) ? stored : Arrays.copyOfRange(stored, HEADER_LENGTH, stored.length);
    }

    /**
     * @param stored what a key holds, or {@code null}
     * @return the session's bytes with their version, or {@code null}
     */
    static VersionedEntry versioned(byte[] stored) {
        return versioned(stored, null);
    }

    /**
     * @param stored    what a key holds, or {@code null}
     * @param expiresAt when it expires, or {@code null} when unknown or never
     * @return the session's bytes with their version and that expiry, or {@code null}
     */
    static VersionedEntry versioned(byte[] stored, Instant expiresAt) {
        if (stored == null) {
            return null;
        }
        if (!hasHeader(stored)) {
            return new VersionedEntry(stored, versionOf(stored), expiresAt);
        }
        long version = HexFormat.fromHexDigitsToLong(new String(stored, MAGIC.length, VERSION_DIGITS, StandardCharsets.US_ASCII));
        return new VersionedEntry(Arrays.copyOfRange(stored, HEADER_LENGTH, stored.length), version, expiresAt);
    }

    /**
     * @param value a session's bytes
     * @return their version: the first 8 bytes of their SHA-1, big-endian, as the scripts compare it
     */
    static long versionOf(byte[] value) {
        return ByteBuffer.wrap(RedisScript.sha1(value)).getLong();
    }

    /** The version as the scripts compare it: 16 lower-case hexadecimal digits. */
    static byte[] hex(long version) {
        return HexFormat.of().toHexDigits(version).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean hasHeader(byte[] stored) {
        if (stored.length < HEADER_LENGTH || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return false;
        }
        for (int i = MAGIC.length; i < HEADER_LENGTH; i++) {
            byte digit = stored[i];
            if (!(digit >= '0' && digit <= '9' || digit >= 'a' && digit <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
