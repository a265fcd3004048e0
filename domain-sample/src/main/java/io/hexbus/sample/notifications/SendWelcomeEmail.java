package io.hexbus.sample.notifications;

import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Welcomes a user who signed up.
 */
public final class SendWelcomeEmail extends MailingHandler<WelcomeEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-welcome-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendWelcomeEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(WelcomeEmailRequested event) {
        return new Mail(event.email(), "Welcome, " + event.displayName(), """
                Hi %s,

                welcome aboard: your account is ready. Sign in with this address, %s.
                """.formatted(event.displayName(), event.email()));
    }
}
