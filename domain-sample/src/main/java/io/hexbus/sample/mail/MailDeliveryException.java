package io.hexbus.sample.mail;

/**
 * A mail could not be delivered to the mail server: it was unreachable, timed out, refused the login or the
 * mail. Retryable: a transport that retries tries the handler again later.
 */
public class MailDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the server but never a password or the mail's body
     * @param cause   the underlying failure
     */
    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
