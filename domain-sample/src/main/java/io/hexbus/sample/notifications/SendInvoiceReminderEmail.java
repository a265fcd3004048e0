package io.hexbus.sample.notifications;

import io.hexbus.sample.invoicing.domain.InvoiceReminderEmailRequested;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import jakarta.inject.Inject;

/**
 * Reminds a company's billing contact of an unpaid invoice, once a day (invoicing's recurring reminder run).
 */
public final class SendInvoiceReminderEmail extends MailingHandler<InvoiceReminderEmailRequested> {

    /** The stable subscription name. */
    public static final String SUBSCRIPTION = "notifications.send-invoice-reminder-email";

    /**
     * @param mailer where the mail goes
     */
    @Inject
    public SendInvoiceReminderEmail(Mailer mailer) {
        super(mailer);
    }

    @Override
    public Mail compose(InvoiceReminderEmailRequested event) {
        return new Mail(event.billingEmail(),
                "Reminder: invoice " + event.invoiceNumber() + ", " + event.total().format() + " due", """
                Hello,

                invoice %s for %s, issued to your company (%s), is still unpaid as of %s.
                """.formatted(event.invoiceNumber(), event.total().format(), event.companyId(),
                        utc(event.occurredAt())));
    }
}
