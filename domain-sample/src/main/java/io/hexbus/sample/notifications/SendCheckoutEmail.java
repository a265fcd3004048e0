package io.hexbus.sample.notifications;

import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Sends a customer the link that completes a payment.
 */
public final class SendCheckoutEmail extends MailingHandler<CheckoutEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-checkout-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendCheckoutEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(CheckoutEmailRequested event) {
        return new Mail(event.customerEmail(), "Complete your payment of " + event.amount().format(), """
                Hi %s,

                to pay %s for %s, open this link:
                %s

                Payment reference: %s
                """.formatted(event.customerName(), event.amount().format(), event.description(),
                        event.checkoutLink(), event.paymentId()));
    }
}
