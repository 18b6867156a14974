package io.sessionkit.spi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RedactionTest {

    private static final String ID = "hWVlGN3KzxLh5NOmcJp8XVNP_4_is0BOkbOoV14ttB4";

    @Test
    void cutsAnIdQuotedByAClientToItsStart() {
        assertEquals("E11000 duplicate key error dup key: { _id: \"session:hWVlGN…\" }",
                Redaction.message("E11000 duplicate key error dup key: { _id: \"session:" + ID + "\" }"));
        assertEquals("Duplicate entry 'session:hWVlGN…' for key 'PRIMARY'",
                Redaction.message("Duplicate entry 'session:" + ID + "' for key 'PRIMARY'"));
    }

    @Test
    void cutsEveryPartOfASignedCookieValue() {
        String signature = "Zx9_kLmNoPqRsTuVwXyZ012345";
        assertEquals("cookie hWVlGN….Zx9_kL…", Redaction.message("cookie " + ID + "." + signature));
    }

    @Test
    void cutsAKnownIdEvenWhenItHasNoDigit() {
        String plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
        assertEquals("key session:" + plain, Redaction.message("key session:" + plain), "not the shape of an id");
        assertEquals("key session:abcdef…", Redaction.message("key session:" + plain, "session:" + plain));
        assertEquals("key session:abcdef…", Redaction.message("key session:" + plain, plain));
    }

    @Test
    void leavesClassNamesConfigurationKeysAndHashesAlone() {
        for (String text : List.of("java.net.SocketTimeoutException: Read timed out",
                "SESSION_REFRESH_EACH_REQUEST and SessionLockTimeoutException",
                "file 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.session",
                "request 3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f6a7b8", "")) {
            assertEquals(text, Redaction.message(text));
        }
        assertNull(Redaction.message(null));
    }

    @Test
    void shortensAKeyForALogLine() {
        assertEquals("session:hWVlGN…", Redaction.shortened("session:" + ID));
        assertEquals("session:lock:hWVlGN…", Redaction.shortened("session:lock:" + ID));
        assertEquals("session:abc", Redaction.shortened("session:abc"));
        assertEquals("ab+/cd…", Redaction.shortened("ab+/cd+/ef+/gh+/ij+/kl"), "long enough to be a credential");
        assertEquals("ab+/cd+/ef+/gh+/ij+/k", Redaction.shortened("ab+/cd+/ef+/gh+/ij+/k"), "one character shorter than an id");
    }

    @Test
    void copiesAnExceptionChainWithItsMessagesCut() {
        IllegalStateException driver = new IllegalStateException("dup key: { _id: \"session:" + ID + "\" }");
        RuntimeException wrapper = new RuntimeException("failed to save: " + driver, driver);
        wrapper.addSuppressed(new IllegalArgumentException("Key (id)=(session:" + ID + ") already exists."));

        Throwable copy = Redaction.throwable(wrapper);
        assertEquals("java.lang.RuntimeException: failed to save: java.lang.IllegalStateException: dup key: { _id:"
                + " \"session:hWVlGN…\" }", copy.toString());
        assertArrayEquals(wrapper.getStackTrace(), copy.getStackTrace());
        assertEquals("java.lang.IllegalStateException: dup key: { _id: \"session:hWVlGN…\" }", copy.getCause().toString());
        assertArrayEquals(driver.getStackTrace(), copy.getCause().getStackTrace());
        assertEquals("java.lang.IllegalArgumentException: Key (id)=(session:hWVlGN…) already exists.",
                copy.getSuppressed()[0].toString());
        assertNull(Redaction.throwable(null));
    }

    @Test
    void copiesACauseCycleWithoutEndlessRecursion() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        Throwable copy = Redaction.throwable(first);
        assertSame(copy, copy.getCause().getCause());
    }
}
