package io.hexbus.api.publishing;

/**
 * What publishing one event did.
 */
public enum PublishOutcome {

    /** The event is new and was accepted for delivery. */
    PUBLISHED,

    /** An event with this id was already published within the dedupe window; nothing was delivered again. */
    DUPLICATE;

    /**
     * @return true for {@link #DUPLICATE}
     */
    public boolean isDuplicate() {
        return this == DUPLICATE;
    }
}
