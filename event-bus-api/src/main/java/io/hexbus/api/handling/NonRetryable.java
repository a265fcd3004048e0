package io.hexbus.api.handling;

/**
 * Marks a failure that retrying cannot fix: an invalid payload, a business rule that will never pass.
 *
 * <p>Implement it on your own exception types, or throw {@link NonRetryableException}. A transport that
 * retries skips the retries of a failure whose cause chain holds a {@code NonRetryable} and dead-letters
 * it at once.
 */
public interface NonRetryable {

    /**
     * Whether a failure, or any cause in its chain, is marked {@link NonRetryable}.
     *
     * @param failure what a handler threw
     * @return true when retrying is pointless
     */
    static boolean isNonRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryable) {
                return true;
            }
        }
        return false;
    }
}
