package io.hexbus.sample.notifications;

import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Invites someone to join a business.
 */
public final class SendInvitationEmail extends MailingHandler<InvitationEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-invitation-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendInvitationEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(InvitationEmailRequested event) {
        return new Mail(event.inviteeEmail(), event.invitedBy() + " invited you to join " + event.businessName(),
                """
                Hello,

                %s invited you to join %s as %s. Accept the invitation here:
                %s

                The invitation works until %s.
                """.formatted(event.invitedBy(), event.businessName(), words(event.role()), event.invitationLink(),
                        utc(event.expiresAt())));
    }
}
