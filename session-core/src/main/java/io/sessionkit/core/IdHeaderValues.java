package io.sessionkit.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Finds the session ids in the values of a request's {@code SESSION_ID_HEADER} headers. A client
 * or proxy may send the header twice or join values with commas, as HTTP allows; an id never
 * holds a comma, so each comma-separated part is a candidate.
 */
final class IdHeaderValues {

    private IdHeaderValues() {
    }

    /**
     * @param headers the header's values in the order sent, or {@code null}
     * @param limit   how many values to keep at most: more are never tried
     * @return the non-empty values, trimmed, in the order sent
     */
    static List<String> find(Iterator<String> headers, int limit) {
        List<String> values = new ArrayList<>(1);
        while (headers != null && headers.hasNext()) {
            for (String part : headers.next().split(",")) {
                String value = part.strip();
                if (!value.isEmpty()) {
                    if (values.size() == limit) {
                        return values;
                    }
                    values.add(value);
                }
            }
        }
        return values;
    }
}
