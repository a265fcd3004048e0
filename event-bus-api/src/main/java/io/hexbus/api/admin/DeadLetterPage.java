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

    /** The most dead letters one page may ask for. */
    public static final int MAX_LIMIT = 1_000;

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

    /**
     * Checks a page request as every {@link QueueAdmin#deadLetters(int, int)} does.
     *
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to {@value #MAX_LIMIT}
     * @throws IllegalArgumentException naming the argument out of bounds
     */
    public static void checkRequest(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }
}
