package io.hexbus.sample.notifications;

import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Tells a member they were removed from a business.
 */
public final class SendMemberRemovedEmail extends MailingHandler<MemberRemovedEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-member-removed-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendMemberRemovedEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(MemberRemovedEmailRequested event) {
        return new Mail(event.memberEmail(), "You were removed from " + event.businessName(), """
                Hi %s,

                %s removed you from %s. You no longer have access to it.
                """.formatted(event.memberName(), event.removedBy(), event.businessName()));
    }
}
