package io.hexbus.sample.notifications;

import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Mails an issued invoice to the company's billing contact: the second subscription on {@link InvoiceIssued}, beside invoicing's audit entry, with its own outcome.
 */
public final class SendInvoiceEmail extends MailingHandler<InvoiceIssued> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-invoice-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendInvoiceEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(InvoiceIssued event) {
        return new Mail(event.billingEmail(),
                "Invoice " + event.invoiceNumber() + ": " + event.total().format() + " due", """
                Hello,

                invoice %s for %s was issued to your company (%s) on %s by store %s.
                """.formatted(event.invoiceNumber(), event.total().format(), event.companyId(),
                        utc(event.occurredAt()), event.storeId()));
    }
}
