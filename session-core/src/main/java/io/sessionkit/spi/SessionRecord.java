package io.sessionkit.spi;

import java.util.Map;

/**
 * What a {@link SessionSerializer} writes and reads: a session's attributes and its permanent
 * flag.
 *
 * @param attributes the attributes, never {@code null}; the serializer's reader returns a
 *                   mutable map the engine takes ownership of
 * @param permanent  whether the session's cookie outlives the browser
 */
public record SessionRecord(Map<String, Object> attributes, boolean permanent) {
}
