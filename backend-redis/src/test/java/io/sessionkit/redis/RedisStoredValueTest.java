package io.sessionkit.redis;

import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The header of a Redis session value, and values of the releases before it, which have none. */
class RedisStoredValueTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    @DisplayName("a value is a zero byte, SKV, its version in 16 lower-case hex digits, then the session's bytes")
    void layout() {
        byte[] value = bytes("{\"cart\":[1]}");
        byte[] stored = RedisStoredValue.of(value);
        String version = HexFormat.of().toHexDigits(RedisStoredValue.versionOf(value));
        assertEquals("\0SKV" + version + "{\"cart\":[1]}", new String(stored, StandardCharsets.ISO_8859_1));
        assertEquals(RedisStoredValue.HEADER_LENGTH + value.length, stored.length);
        assertArrayEquals(version.getBytes(StandardCharsets.US_ASCII), RedisStoredValue.hex(RedisStoredValue.versionOf(value)));
        assertArrayEquals(version.getBytes(StandardCharsets.US_ASCII), RedisStoredValue.versionDigits(stored));
    }

    @Test
    @DisplayName("reading gives back the session's bytes and the version of the header")
    void readBack() {
        for (byte[] value : new byte[][] {new byte[0], bytes("x"), bytes("\0SKV"), new byte[20_000]}) {
            byte[] stored = RedisStoredValue.of(value);
            assertArrayEquals(value, RedisStoredValue.value(stored));
            VersionedEntry entry = RedisStoredValue.versioned(stored);
            assertArrayEquals(value, entry.value());
            assertEquals(RedisStoredValue.versionOf(value), entry.version());
        }
        Instant expiry = Instant.parse("2026-12-06T12:00:00Z");
        assertEquals(expiry, RedisStoredValue.versioned(RedisStoredValue.of(bytes("x")), expiry).expiresAt());
        assertEquals(expiry, RedisStoredValue.versioned(bytes("x"), expiry).expiresAt(), "without the header");
        assertNull(RedisStoredValue.value(null));
        assertNull(RedisStoredValue.versioned(null));
        assertNull(RedisStoredValue.versioned(null, expiry));
    }

    @Test
    @DisplayName("the version is taken from the header, not computed again from the bytes")
    void versionFromTheHeader() {
        byte[] stored = RedisStoredValue.of(bytes("{}"));
        System.arraycopy(bytes("00000000000000ff"), 0, stored, 4, 16);
        assertEquals(255, RedisStoredValue.versioned(stored).version());
        assertArrayEquals(bytes("{}"), RedisStoredValue.versioned(stored).value());
    }

    @Test
    @DisplayName("a value without a well-formed header is the session's bytes whole, versioned by their digest")
    void valuesWithoutTheHeader() {
        byte[] upperCaseDigit = RedisStoredValue.of(bytes("{}"));
        upperCaseDigit[19] = 'A';
        byte[] otherFirstByte = RedisStoredValue.of(bytes("{}"));
        otherFirstByte[0] = 1;
        byte[] otherMagic = RedisStoredValue.of(bytes("{}"));
        otherMagic[3] = 'W';
        byte[] beforeTheDigits = RedisStoredValue.of(bytes("{}"));
        beforeTheDigits[4] = '/';
        byte[] afterTheDigits = RedisStoredValue.of(bytes("{}"));
        afterTheDigits[4] = 'g';
        byte[] tooShort = Arrays.copyOf(RedisStoredValue.of(new byte[0]), RedisStoredValue.HEADER_LENGTH - 1);
        for (byte[] stored : new byte[][] {bytes("{\"user\":\"ann\"}"), new byte[0], upperCaseDigit, otherFirstByte,
                otherMagic, beforeTheDigits, afterTheDigits, tooShort}) {
            assertArrayEquals(stored, RedisStoredValue.value(stored));
            VersionedEntry entry = RedisStoredValue.versioned(stored);
            assertArrayEquals(stored, entry.value());
            assertEquals(RedisStoredValue.versionOf(stored), entry.version());
        }
    }
}
