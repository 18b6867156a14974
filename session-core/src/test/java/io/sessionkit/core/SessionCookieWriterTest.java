package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionCookieWriterTest {

    private final SessionCookieWriter writer =
            new SessionCookieWriter(new CookieSettings("session", null, "/", true, false, null, false));

    @Test
    void theExpiresDateFollowsEverySecondWhileTheFormattedDateIsReused() {
        Instant expires = Instant.parse("2030-02-02T03:04:05Z");
        Instant now = expires.minusSeconds(60);

        assertEquals("session=a; Expires=Sat, 02 Feb 2030 03:04:05 GMT; Max-Age=60; Path=/; HttpOnly",
                writer.set("a", expires, now));
        assertEquals("session=b; Expires=Sat, 02 Feb 2030 03:04:05 GMT; Max-Age=60; Path=/; HttpOnly",
                writer.set("b", expires.plusMillis(999), now));
        assertEquals("session=c; Expires=Sat, 02 Feb 2030 03:04:06 GMT; Max-Age=61; Path=/; HttpOnly",
                writer.set("c", expires.plusSeconds(1), now));
        assertEquals("session=d; Expires=Sat, 02 Feb 2030 03:04:05 GMT; Max-Age=60; Path=/; HttpOnly",
                writer.set("d", expires, now));
    }
}
