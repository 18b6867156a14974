package io.sessionkit.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats the {@code Set-Cookie} header values of the session cookie from
 * {@link CookieSettings}. A deletion carries the same Path, Domain, Secure, SameSite and
 * Partitioned attributes as the cookie it deletes, or browsers would keep the original.
 */
final class SessionCookieWriter {

    private static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";
    // IMF-fixdate of RFC 9110: two-digit day, always GMT.
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final CookieSettings settings;
    private final String attributes;
    // Formatting an HTTP date took a tenth of a read-only request's engine time, and every
    // request within the same second writes the same Expires: keep the last one.
    private volatile FormattedDate lastExpires;

    SessionCookieWriter(CookieSettings settings) {
        this.settings = settings;
        StringBuilder tail = new StringBuilder();
        if (settings.domain() != null) {
            tail.append("; Domain=").append(settings.domain());
        }
        tail.append("; Path=").append(settings.path());
        if (settings.secure()) {
            tail.append("; Secure");
        }
        if (settings.httpOnly()) {
            tail.append("; HttpOnly");
        }
        if (settings.sameSite() != null) {
            tail.append("; SameSite=").append(settings.sameSite());
        }
        if (settings.partitioned()) {
            tail.append("; Partitioned");
        }
        this.attributes = tail.toString();
    }

    /**
     * @param value   the cookie value: an id or a signed id, cookie-safe by construction
     * @param expires when a permanent cookie expires, or {@code null} for a browser-session cookie
     * @param now     the current time, for Max-Age
     */
    String set(String value, Instant expires, Instant now) {
        StringBuilder header = new StringBuilder(96 + value.length()).append(settings.name()).append('=').append(value);
        if (expires != null) {
            header.append("; Expires=").append(httpDate(expires))
                    .append("; Max-Age=").append(Math.max(0, expires.getEpochSecond() - now.getEpochSecond()));
        }
        return header.append(attributes).toString();
    }

    private String httpDate(Instant instant) {
        long second = instant.getEpochSecond();
        FormattedDate last = lastExpires;
        if (last == null || last.epochSecond() != second) {
            // The format has whole seconds, so the truncated instant formats the same.
            last = new FormattedDate(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
            lastExpires = last;
        }
        return last.text();
    }

    private record FormattedDate(long epochSecond, String text) {
    }

    String delete() {
        return settings.name() + "=; Expires=" + EPOCH + "; Max-Age=0" + attributes;
    }
}
