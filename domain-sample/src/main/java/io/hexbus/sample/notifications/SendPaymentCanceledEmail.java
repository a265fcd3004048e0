package io.hexbus.sample.notifications;

import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Tells a customer a payment was canceled, and why.
 */
public final class SendPaymentCanceledEmail extends MailingHandler<PaymentCanceledEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-payment-canceled-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendPaymentCanceledEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(PaymentCanceledEmailRequested event) {
        return new Mail(event.customerEmail(), "Payment canceled: " + event.description(), """
                Hi %s,

                your payment of %s for %s was canceled: %s
                Nothing was charged.

                Payment reference: %s
                """.formatted(event.customerName(), event.amount().format(), event.description(), event.reason(),
                        event.paymentId()));
    }
}
