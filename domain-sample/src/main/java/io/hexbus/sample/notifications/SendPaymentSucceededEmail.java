package io.hexbus.sample.notifications;

import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Sends a customer the receipt of a payment.
 */
public final class SendPaymentSucceededEmail extends MailingHandler<PaymentSucceededEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-payment-succeeded-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendPaymentSucceededEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(PaymentSucceededEmailRequested event) {
        return new Mail(event.customerEmail(), "Payment received: " + event.amount().format(), """
                Hi %s,

                we received your payment of %s for %s on %s. Thank you.

                Payment reference: %s
                """.formatted(event.customerName(), event.amount().format(), event.description(),
                        utc(event.occurredAt()), event.paymentId()));
    }
}
