package io.sessionkit.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An entry as {@link PrincipalIndex} or {@link SessionListing} list it.
 *
 * @param key       the entry's key
 * @param value     the bytes last saved; the engine does not modify them
 * @param expiresAt when the entry expires unless it is refreshed or rewritten
 */
public record ListedEntry(String key, byte[] value, Instant expiresAt) {

    /**
     * @throws NullPointerException when an argument is {@code null}
     */
    public ListedEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
