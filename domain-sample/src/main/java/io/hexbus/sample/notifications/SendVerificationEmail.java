package io.hexbus.sample.notifications;

import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Sends a user the link that confirms their address.
 */
public final class SendVerificationEmail extends MailingHandler<VerificationEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-verification-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendVerificationEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(VerificationEmailRequested event) {
        return new Mail(event.email(), "Confirm your email address", """
                Hi %s,

                please confirm your email address by opening this link:
                %s

                The link works until %s. If you did not ask for it, ignore this mail.
                """.formatted(event.displayName(), event.verificationLink(), utc(event.expiresAt())));
    }
}
