package io.hexbus.sample.mail;

/**
 * Sends mail: a driven port. The adapters module implements it over SMTP, and with a logging stand-in when
 * no SMTP server is configured.
 *
 * <p>Implementations are thread-safe: handlers may send from several threads at once.
 */
public interface Mailer {

    /**
     * Sends one mail and returns once the mail server accepted it.
     *
     * @param mail the mail
     * @throws MailDeliveryException if the server could not be reached or refused the mail; retrying later may
     *                               succeed, so it is not {@link io.hexbus.api.handling.NonRetryable}
     */
    void send(Mail mail);
}
