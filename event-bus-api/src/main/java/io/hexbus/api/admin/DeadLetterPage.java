package io.hexbus.api.admin;

import java.util.List;

/**
 * One page of dead letters, newest first. Immutable.
 *
 * @param items  the dead letters of this page
 * @param offset how many were skipped
 * @param total  how many dead letters the group holds in all
 */
public record DeadLetterPage(List<DeadLetter> items, int offset, long total) {

    /**
     * Copies the list.
     *
     * @param items  the dead letters of this page
     * @param offset how many were skipped
     * @param total  how many dead letters the group holds in all
     */
    public DeadLetterPage {
        items = List.copyOf(items);
    }
}
