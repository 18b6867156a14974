package io.sessionkit.core;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.sessionkit.Session;
import io.sessionkit.SessionValueException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the engine does with a stored record that SessionKit did not write: whoever can write to
 * the store writes these. Each gives a fresh session through the decode-failure path (one
 * warning, no exception, nothing of the id beyond its start), never a failed request or an
 * exhausted heap.
 */
class UntrustedStoredRecordTest {

    private static final String ID = "Ab3dEf" + "g".repeat(36) + "Z";
    private static final String KEY = "session:" + ID;

    private final CountingMemoryBackend backend = new CountingMemoryBackend();
    private LogCapture capture;

    @BeforeEach
    void capture() {
        capture = LogCapture.of(SessionInterface.class);
    }

    @AfterEach
    void release() {
        capture.close();
    }

    private SessionInterface engine() {
        return SessionInterface.create(SessionConfig.builder().build(), backend);
    }

    private Session openStored(String record) {
        return openStored(record.getBytes(StandardCharsets.UTF_8));
    }

    private Session openStored(byte[] record) {
        backend.entries.put(KEY, record);
        Session session = assertDoesNotThrow(() -> engine().open(ID));
        assertTrue(session.isNew(), "a fresh session");
        assertTrue(session.isEmpty(), "nothing of the stored record");
        assertNotEquals(ID, session.id(), "the stored id is not adopted");
        return session;
    }

    /** The one decode-failure warning, checked for the id; its message is returned. */
    private String decodeFailureWarning() {
        // Said once per backend class, by whichever test builds the first engine.
        List<LogRecord> warnings = capture.records().stream().filter(r -> !r.getMessage().contains("has no conditional writes")).toList();
        assertEquals(1, warnings.size(), () -> "one warning: " + warnings.stream().map(LogRecord::getMessage).toList());
        LogRecord record = warnings.get(0);
        assertEquals(Level.WARNING, record.getLevel());
        String message = record.getMessage();
        assertTrue(message.contains("could not be decoded as json"), message);
        assertTrue(message.contains("session:Ab3dEf..."), "names the start of the key: " + message);
        assertFalse(message.contains(ID.substring(0, 7)), "no more of the id than its start: " + message);
        return message;
    }

    @Test
    void trailingGarbageAfterTheRecord() {
        openStored("{\"version\":1,\"permanent\":true,\"data\":{\"user\":\"ada\"}}{\"data\":{\"role\":\"admin\"}}");
        decodeFailureWarning();
    }

    @Test
    void trailingTextThatIsNotJsonIsNotQuotedInTheLog() {
        openStored("{\"version\":1,\"permanent\":true,\"data\":{}}hunter2hunter2");
        assertFalse(decodeFailureWarning().contains("hunter2"), "the stored bytes are data, not log text");
    }

    @Test
    void permanentThatIsNotABoolean() {
        openStored("{\"version\":1,\"permanent\":\"yes\",\"data\":{\"user\":\"ada\"}}");
        assertTrue(decodeFailureWarning().contains("\"permanent\" is VALUE_STRING, not true or false"));
    }

    @Test
    void tenThousandLevelsOfNesting() {
        openStored("{\"permanent\":true,\"data\":{\"deep\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}");
        decodeFailureWarning();
    }

    @Test
    void nestingDeeperThanTheLimitThoughWithinJacksonsDefault() {
        int depth = SessionJsonMapper.MAX_NESTING_DEPTH + 1;
        openStored("{\"permanent\":true,\"data\":{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}}");
        assertTrue(decodeFailureWarning().contains("nesting depth"));
    }

    @Test
    void aRecordOfManySmallValuesLargerThanTheLimit() {
        StringBuilder record = new StringBuilder("{\"permanent\":true,\"data\":{\"items\":[");
        while (record.length() <= SessionJsonMapper.MAX_DOCUMENT_LENGTH) {
            record.append("\"0123456789abcdef\",");
        }
        record.append("\"end\"]}}");
        openStored(record.toString());
        decodeFailureWarning();
    }

    @Test
    void aFiftyMegabyteStringEvenWhenTheApplicationRaisedJacksonsDefaults() {
        // An application that hit Jackson's 20 M string limit elsewhere may lift it for the whole JVM.
        StreamReadConstraints.overrideDefaultStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).maxDocumentLength(-1).build());
        try {
            String prefix = "{\"permanent\":true,\"data\":{\"blob\":\"";
            String suffix = "\"}}";
            byte[] record = new byte[prefix.length() + 50 * 1024 * 1024 + suffix.length()];
            System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, record, 0, prefix.length());
            Arrays.fill(record, prefix.length(), record.length - suffix.length(), (byte) 'x');
            System.arraycopy(suffix.getBytes(StandardCharsets.US_ASCII), 0, record, record.length - suffix.length(),
                    suffix.length());
            openStored(record);
            assertTrue(decodeFailureWarning().contains("more than the " + SessionJsonMapper.MAX_DOCUMENT_LENGTH));
        } finally {
            StreamReadConstraints.overrideDefaultStreamReadConstraints(null);
        }
    }

    @Test
    void aNumberOfThousandsOfDigits() {
        openStored("{\"permanent\":true,\"data\":{\"n\":" + "9".repeat(5_000) + "}}");
        assertTrue(decodeFailureWarning().contains("Number value length"));
    }

    @Test
    void aSessionNestedDeeperThanTheReaderAcceptsIsRefusedWhenSavedAndTheStoredOneStays() {
        SessionInterface sessions = engine();
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        byte[] stored = backend.entries.get("session:" + session.id()).clone();

        Session again = sessions.open(session.id());
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> level = deep;
        for (int i = 0; i < SessionJsonMapper.MAX_NESTING_DEPTH; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            level.put("k", next);
            level = next;
        }
        again.put("deep", deep);
        SessionValueException error = assertThrows(SessionValueException.class, () -> sessions.save(again));
        assertTrue(error.getMessage().contains("nesting depth"), error.getMessage());
        assertArrayEquals(stored, backend.entries.get("session:" + session.id()));
        assertEquals("ada", sessions.open(session.id()).get("user"), "the session saved before still reads");
    }
}
