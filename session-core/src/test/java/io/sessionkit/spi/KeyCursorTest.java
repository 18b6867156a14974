package io.sessionkit.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCursorTest {

    private final KeyCursor cursors = new KeyCursor("test1.", "test");

    @Test
    void aCursorGivesBackTheKeyItWasMadeAfter() {
        String cursor = cursors.after("session:", "session:abc-_ä");
        assertTrue(cursor.startsWith("test1."), cursor);
        assertEquals("session:abc-_ä", cursors.lastKey(cursor, "session:"));
    }

    @Test
    void aCursorOfAnotherPrefixOrBackendIsRefusedNamingThePrefix() {
        String cursor = cursors.after("session:", "session:abc");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> cursors.lastKey(cursor, "other:"));
        assertEquals("the cursor is not one the test backend made for listing the keys of 'other:': pass null for the"
                + " first page, then each page's nextCursor", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KeyCursor("else1.", "else").lastKey(cursor, "session:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "test1.", "test1.c2Vzc2lvbjo", "test1.c2Vzc2lvbjo.", "test1.c2Vzc2lvbjo.YQ.YQ",
            "test1.!!.YQ", "test1.c2Vzc2lvbjo.!!", "test1.c2Vzc2lvbjo=.YQ", "not a cursor %%"})
    void malformedCursorsAreRefused(String cursor) {
        assertThrows(IllegalArgumentException.class, () -> cursors.lastKey(cursor, "session:"));
    }
}
