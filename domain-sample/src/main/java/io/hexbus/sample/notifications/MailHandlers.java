package io.hexbus.sample.notifications;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Registration;
import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.invoicing.domain.InvoiceReminderEmailRequested;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Objects;

/**
 * Registers every mail handler of the sample, each under its stable subscription name: the nine mails of
 * identity, membership and payments, the invoice mail and its
 * daily reminder. A composition root calls {@link #register} once at
 * start; a Guice multibinder can contribute it as it is.
 */
public final class MailHandlers {

    private final Mailer mailer;

    /**
     * @param mailer where every mail goes
     */
    @Inject
    public MailHandlers(Mailer mailer) {
        this.mailer = Objects.requireNonNull(mailer, "mailer");
    }

    /**
     * @param processor the processor to register with
     * @return the registrations, in registration order; removing them undoes this call
     * @throws io.hexbus.api.handling.DuplicateSubscriptionException if they were registered before
     */
    public List<Registration> register(DomainEventsProcessor processor) {
        return List.of(
                processor.register(WelcomeEmailRequested.class, SendWelcomeEmail.SUBSCRIPTION,
                        new SendWelcomeEmail(mailer)),
                processor.register(VerificationEmailRequested.class, SendVerificationEmail.SUBSCRIPTION,
                        new SendVerificationEmail(mailer)),
                processor.register(InvitationEmailRequested.class, SendInvitationEmail.SUBSCRIPTION,
                        new SendInvitationEmail(mailer)),
                processor.register(RoleChangedEmailRequested.class, SendRoleChangedEmail.SUBSCRIPTION,
                        new SendRoleChangedEmail(mailer)),
                processor.register(MemberRemovedEmailRequested.class, SendMemberRemovedEmail.SUBSCRIPTION,
                        new SendMemberRemovedEmail(mailer)),
                processor.register(MemberWelcomeEmailRequested.class, SendMemberWelcomeEmail.SUBSCRIPTION,
                        new SendMemberWelcomeEmail(mailer)),
                processor.register(CheckoutEmailRequested.class, SendCheckoutEmail.SUBSCRIPTION,
                        new SendCheckoutEmail(mailer)),
                processor.register(PaymentSucceededEmailRequested.class, SendPaymentSucceededEmail.SUBSCRIPTION,
                        new SendPaymentSucceededEmail(mailer)),
                processor.register(PaymentCanceledEmailRequested.class, SendPaymentCanceledEmail.SUBSCRIPTION,
                        new SendPaymentCanceledEmail(mailer)),
                processor.register(InvoiceIssued.class, SendInvoiceEmail.SUBSCRIPTION, new SendInvoiceEmail(mailer)),
                processor.register(InvoiceReminderEmailRequested.class, SendInvoiceReminderEmail.SUBSCRIPTION,
                        new SendInvoiceReminderEmail(mailer)));
    }
}
