package io.hexbus.sample.notifications;

import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Welcomes a new member to a business.
 */
public final class SendMemberWelcomeEmail extends MailingHandler<MemberWelcomeEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-member-welcome-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendMemberWelcomeEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(MemberWelcomeEmailRequested event) {
        return new Mail(event.memberEmail(), "Welcome to " + event.businessName(), """
                Hi %s,

                you are now a member of %s, as %s.
                """.formatted(event.memberName(), event.businessName(), words(event.role())));
    }
}
