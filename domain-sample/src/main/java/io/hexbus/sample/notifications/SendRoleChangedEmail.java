package io.hexbus.sample.notifications;

import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Tells a member their role in a business changed.
 */
public final class SendRoleChangedEmail extends MailingHandler<RoleChangedEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-role-changed-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendRoleChangedEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(RoleChangedEmailRequested event) {
        return new Mail(event.memberEmail(),
                "Your role in " + event.businessName() + " is now " + words(event.newRole()), """
                Hi %s,

                %s changed your role in %s from %s to %s.
                """.formatted(event.memberName(), event.changedBy(), event.businessName(),
                        words(event.previousRole()), words(event.newRole())));
    }
}
