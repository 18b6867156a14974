package io.sessionkit.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Finds the values of one cookie in a request's {@code Cookie} headers.
 *
 * <p>This runs on every request that uses its session, so it scans the header text in place
 * instead of building the container's {@code Cookie} objects: no regular expressions, no
 * split, and no allocation for cookies with other names. A browser may send several cookies
 * of the same name (set for different paths or domains); all are returned, in header order,
 * most specific path first as browsers send them.
 */
final class SessionCookieValues {

    private SessionCookieValues() {
    }

    /**
     * @param cookieHeaders the request's {@code Cookie} header values (HTTP/2 may split them)
     * @param name          the cookie name
     * @return the values of every cookie called {@code name}, possibly empty; surrounding
     *         double quotes removed
     */
    static List<String> find(Iterator<String> cookieHeaders, String name) {
        List<String> values = List.of();
        if (cookieHeaders == null) {
            return values;
        }
        while (cookieHeaders.hasNext()) {
            values = findIn(cookieHeaders.next(), name, values);
        }
        return values;
    }

    static List<String> findIn(String header, String name, List<String> found) {
        if (header == null) {
            return found;
        }
        int length = header.length();
        int position = 0;
        while (position < length) {
            int start = skipSpaces(header, position, length);
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int nameEnd = start + name.length();
            if (nameEnd < end && header.charAt(nameEnd) == '=' && header.regionMatches(start, name, 0, name.length())) {
                found = add(found, unquote(header, nameEnd + 1, trimEnd(header, nameEnd + 1, end)));
            } else if (nameEnd < end && isSpace(header.charAt(nameEnd))) {
                // "name = value": tolerated, as browsers never send it but hand-written clients do.
                int equals = skipSpaces(header, nameEnd, end);
                if (equals < end && header.charAt(equals) == '=' && header.regionMatches(start, name, 0, name.length())) {
                    int valueStart = skipSpaces(header, equals + 1, end);
                    found = add(found, unquote(header, valueStart, trimEnd(header, valueStart, end)));
                }
            }
            position = end + 1;
        }
        return found;
    }

    private static List<String> add(List<String> found, String value) {
        if (found.isEmpty()) {
            return List.of(value);
        }
        List<String> more = new ArrayList<>(found);
        more.add(value);
        return more;
    }

    private static String unquote(String header, int start, int end) {
        if (end - start >= 2 && header.charAt(start) == '"' && header.charAt(end - 1) == '"') {
            return header.substring(start + 1, end - 1);
        }
        return header.substring(start, end);
    }

    private static int skipSpaces(String text, int from, int to) {
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
