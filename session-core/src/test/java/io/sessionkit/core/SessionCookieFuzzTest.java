package io.sessionkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz tests of what the engine reads from a request before anything else: the scan of the
 * {@code Cookie} headers ({@link SessionCookieValues}, which the servlet filter hands every
 * {@code Cookie} header as the container received it) and the id syntax check
 * ({@link SessionIds}). Inputs are UTF-8 text, one {@code Cookie} header per line, so that the
 * committed inputs under {@code SessionCookieFuzzTestInputs} can be read and written by hand
 * (docs/fuzzing.md).
 */
class SessionCookieFuzzTest {

    private static final String NAME = "session";
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    /**
     * Any header text yields exactly the values that a plain split-and-trim reading finds: no
     * value of a cookie with another name ({@code xsession}, {@code session_id}), nothing across a
     * {@code ;}, and no failure whatever the bytes.
     */
    @FuzzTest
    void anyHeaderYieldsWhatASplitReadingFinds(byte[] input) {
        List<String> headers = lines(input);
        List<String> expected = new ArrayList<>();
        for (String header : headers) {
            expected.addAll(splitReading(header));
        }
        assertEquals(expected, SessionCookieValues.find(headers.iterator(), NAME), () -> "headers " + headers);
    }

    /**
     * Cookie pairs as RFC 6265 lets a browser send them ({@code name=value; name=value}, values
     * possibly quoted, the pairs possibly spread over several headers as HTTP/2 allows) give back
     * exactly the session cookie's values, in order. Each input line is a pair {@code name=value};
     * characters a browser would never send in a name or value are dropped from it.
     */
    @FuzzTest
    void wellFormedPairsComeBackExactly(byte[] input) {
        List<String> headers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (String line : lines(input)) {
            int equals = line.indexOf('=');
            String name = keep(equals < 0 ? line : line.substring(0, equals), true);
            String value = keep(equals < 0 ? "" : line.substring(equals + 1), false);
            if (name.isEmpty()) {
                // An empty name ends the header: the next pairs go into another one.
                headers.add(header.toString());
                header.setLength(0);
                continue;
            }
            boolean quoted = value.length() % 3 == 1;
            if (name.equals(NAME)) {
                expected.add(value);
            }
            header.append(header.length() == 0 ? "" : "; ").append(name).append('=')
                    .append(quoted ? "\"" + value + "\"" : value);
        }
        headers.add(header.toString());
        assertEquals(expected, SessionCookieValues.find(headers.iterator(), NAME), () -> "headers " + headers);
    }

    /**
     * An id is recognised exactly when it is base64url text of the configured length, as ids are
     * made, and every id made is recognised: nothing else can become part of a backend key.
     */
    @FuzzTest
    void onlyBase64UrlTextOfTheIdLengthIsAnId(byte[] input) {
        String candidate = new String(input, StandardCharsets.UTF_8);
        // The default length, and the one whose ids are as long as the candidate (where there is one).
        for (int byteLength : new int[] {32, Math.max(16, Math.min(128, candidate.length() * 3 / 4))}) {
            SessionIds ids = new SessionIds(byteLength);
            String made = ids.newId();
            assertTrue(ids.isWellFormed(made), made);
            boolean expected = candidate.length() == made.length() && BASE64URL.matcher(candidate).matches();
            assertEquals(expected, ids.isWellFormed(candidate), () -> byteLength + " bytes, candidate " + candidate);
        }
    }

    /** The lines of the input, as UTF-8: each one {@code Cookie} header, or one pair. */
    static List<String> lines(byte[] input) {
        return Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\n", -1));
    }

    /**
     * The reading the scan must agree with, by splitting: each {@code ;}-separated part that is the
     * name, optional blanks (space or tab), {@code =} and the value; the value loses its trailing
     * blanks, its leading ones only after a blank-surrounded {@code =} (as hand-written clients send),
     * and then one pair of surrounding double quotes.
     */
    private static List<String> splitReading(String header) {
        List<String> values = new ArrayList<>();
        if (header.isEmpty()) {
            return values;
        }
        for (String part : header.split(";", -1)) {
            String pair = stripLeadingBlanks(part);
            if (!pair.startsWith(NAME)) {
                continue;
            }
            String afterName = pair.substring(NAME.length());
            String fromEquals = stripLeadingBlanks(afterName);
            if (!fromEquals.startsWith("=")) {
                continue;
            }
            String value = fromEquals.substring(1);
            if (fromEquals.length() != afterName.length()) {
                value = stripLeadingBlanks(value);
            }
            value = stripTrailingBlanks(value);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            values.add(value);
        }
        return values;
    }

    private static String stripLeadingBlanks(String text) {
        int start = 0;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        return text.substring(start);
    }

    private static String stripTrailingBlanks(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * Keeps what RFC 6265 allows: a name is a token; a value is cookie-octets (visible ASCII
     * without {@code "}, {@code ,}, {@code ;} and {@code \}).
     */
    private static String keep(String text, boolean name) {
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean octet = c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
            boolean token = octet && "()<>@:/[]?={}".indexOf(c) < 0;
            if (name ? token : octet) {
                kept.append(c);
            }
        }
        return kept.toString();
    }
}
