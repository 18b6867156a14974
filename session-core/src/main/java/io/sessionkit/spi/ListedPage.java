package io.sessionkit.spi;

import java.util.List;

/**
 * One page of a {@link SessionListing#list} walk.
 *
 * @param entries    the page's entries
 * @param nextCursor what to hand to the next call, or {@code null} when this is the last page
 */
public record ListedPage(List<ListedEntry> entries, String nextCursor) {

    /**
     * @throws NullPointerException when {@code entries} is {@code null}
     */
    public ListedPage {
        entries = List.copyOf(entries);
    }
}
