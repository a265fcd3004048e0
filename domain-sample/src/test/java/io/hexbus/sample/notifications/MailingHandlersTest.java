package io.hexbus.sample.notifications;

import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.invoicing.domain.InvoiceReminderEmailRequested;
import io.hexbus.sample.mail.InvalidMailPayload;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.MailDeliveryException;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.testing.RecordingMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verifyNoInteractions;

/** Every mail handler against the Mailer port: recipient, subject and body, and how a handler fails. */
@ExtendWith(MockitoExtension.class)
class MailingHandlersTest {

    private static final UUID ID = UUID.fromString("01900000-0000-7000-8000-000000000001");
    private static final Instant AT = Instant.parse("2026-11-23T09:30:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-11-24T09:30:00Z");
    private static final EventMetadata NONE = EventMetadata.EMPTY;
    private static final Money PRICE = Money.of("49.90", "EUR");

    private final RecordingMailer mailer = new RecordingMailer();

    @Mock
    private Mailer failingMailer;

    private Mail onlyMail() {
        List<Mail> sent = mailer.sent();
        assertEquals(1, sent.size(), () -> "mails sent: " + sent);
        return sent.get(0);
    }

    @Test
    void welcome() {
        new SendWelcomeEmail(mailer).handle(new WelcomeEmailRequested(ID, AT, NONE, "user-1", "ada@example.com",
                "Ada"));

        assertEquals(new Mail("ada@example.com", "Welcome, Ada", """
                Hi Ada,

                welcome aboard: your account is ready. Sign in with this address, ada@example.com.
                """), onlyMail());
    }

    @Test
    void verification() {
        new SendVerificationEmail(mailer).handle(new VerificationEmailRequested(ID, AT, NONE, "user-1",
                "ada@example.com", "Ada", "https://app.example.com/verify-email?token=t-1", EXPIRES));

        assertEquals(new Mail("ada@example.com", "Confirm your email address", """
                Hi Ada,

                please confirm your email address by opening this link:
                https://app.example.com/verify-email?token=t-1

                The link works until 2026-11-24 09:30 UTC. If you did not ask for it, ignore this mail.
                """), onlyMail());
    }

    @Test
    void invitation() {
        new SendInvitationEmail(mailer).handle(new InvitationEmailRequested(ID, AT, NONE, "biz-1", "Acme Bakery",
                "ines@example.com", MemberRole.ADMIN, "Olivia", "https://app.example.com/join?invitation=i-1",
                EXPIRES));

        assertEquals(new Mail("ines@example.com", "Olivia invited you to join Acme Bakery", """
                Hello,

                Olivia invited you to join Acme Bakery as admin. Accept the invitation here:
                https://app.example.com/join?invitation=i-1

                The invitation works until 2026-11-24 09:30 UTC.
                """), onlyMail());
    }

    @Test
    void roleChanged() {
        new SendRoleChangedEmail(mailer).handle(new RoleChangedEmailRequested(ID, AT, NONE, "biz-1", "Acme Bakery",
                "max@acme.example", "Max", MemberRole.MEMBER, MemberRole.ADMIN, "Olivia"));

        assertEquals(new Mail("max@acme.example", "Your role in Acme Bakery is now admin", """
                Hi Max,

                Olivia changed your role in Acme Bakery from member to admin.
                """), onlyMail());
    }

    @Test
    void memberRemoved() {
        new SendMemberRemovedEmail(mailer).handle(new MemberRemovedEmailRequested(ID, AT, NONE, "biz-1",
                "Acme Bakery", "max@acme.example", "Max", "Olivia"));

        assertEquals(new Mail("max@acme.example", "You were removed from Acme Bakery", """
                Hi Max,

                Olivia removed you from Acme Bakery. You no longer have access to it.
                """), onlyMail());
    }

    @Test
    void memberWelcome() {
        new SendMemberWelcomeEmail(mailer).handle(new MemberWelcomeEmailRequested(ID, AT, NONE, "biz-1",
                "Acme Bakery", "ines@example.com", "Ines", MemberRole.ADMIN));

        assertEquals(new Mail("ines@example.com", "Welcome to Acme Bakery", """
                Hi Ines,

                you are now a member of Acme Bakery, as admin.
                """), onlyMail());
    }

    @Test
    void checkout() {
        new SendCheckoutEmail(mailer).handle(new CheckoutEmailRequested(ID, AT, NONE, "pay-1", "carla@example.com",
                "Carla", "Annual plan", PRICE, "https://app.example.com/checkout/pay-1"));

        assertEquals(new Mail("carla@example.com", "Complete your payment of 49.90 EUR", """
                Hi Carla,

                to pay 49.90 EUR for Annual plan, open this link:
                https://app.example.com/checkout/pay-1

                Payment reference: pay-1
                """), onlyMail());
    }

    @Test
    void paymentSucceeded() {
        new SendPaymentSucceededEmail(mailer).handle(new PaymentSucceededEmailRequested(ID, AT, NONE, "pay-1",
                "carla@example.com", "Carla", "Annual plan", PRICE));

        assertEquals(new Mail("carla@example.com", "Payment received: 49.90 EUR", """
                Hi Carla,

                we received your payment of 49.90 EUR for Annual plan on 2026-11-23 09:30 UTC. Thank you.

                Payment reference: pay-1
                """), onlyMail());
    }

    @Test
    void paymentCanceled() {
        new SendPaymentCanceledEmail(mailer).handle(new PaymentCanceledEmailRequested(ID, AT, NONE, "pay-1",
                "carla@example.com", "Carla", "Annual plan", PRICE, "The card was declined."));

        assertEquals(new Mail("carla@example.com", "Payment canceled: Annual plan", """
                Hi Carla,

                your payment of 49.90 EUR for Annual plan was canceled: The card was declined.
                Nothing was charged.

                Payment reference: pay-1
                """), onlyMail());
    }

    @Test
    void invoiceGoesToTheBillingContact() {
        new SendInvoiceEmail(mailer).handle(new InvoiceIssued(ID, AT, NONE, "inv-1", "2026-0001", "company-9",
                "billing@company9.example", "store-3", Money.of("120.50", "EUR"), "user-42"));

        assertEquals(new Mail("billing@company9.example", "Invoice 2026-0001: 120.50 EUR due", """
                Hello,

                invoice 2026-0001 for 120.50 EUR was issued to your company (company-9) on 2026-11-23 09:30 UTC \
                by store store-3.
                """), onlyMail());
    }

    @Test
    void invoiceReminderGoesToTheBillingContact() {
        new SendInvoiceReminderEmail(mailer).handle(new InvoiceReminderEmailRequested(ID, AT, NONE, "inv-1",
                "2026-0001", "company-9", "billing@company9.example", Money.of("120.50", "EUR")));

        assertEquals(new Mail("billing@company9.example", "Reminder: invoice 2026-0001, 120.50 EUR due", """
                Hello,

                invoice 2026-0001 for 120.50 EUR, issued to your company (company-9), is still unpaid as of \
                2026-11-23 09:30 UTC.
                """), onlyMail());
    }

    @Test
    void anInvalidPayloadIsNonRetryableNamesEveryBrokenRuleButNoValueAndSendsNothing() {
        SendCheckoutEmail handler = new SendCheckoutEmail(failingMailer);
        CheckoutEmailRequested invalid = new CheckoutEmailRequested(ID, AT, NONE, "pay-1", "carla-at-example",
                "Carla", "Annual plan", Money.of("0", "EUR"), "javascript:alert(1)");

        InvalidMailPayload thrown = assertThrows(InvalidMailPayload.class, () -> handler.handle(invalid));

        assertTrue(NonRetryable.isNonRetryable(thrown));
        assertEquals("invalid payload in payments.checkout-email-requested " + ID + ": customerEmail is not an"
                + " email address; amount is not positive; checkoutLink is not an absolute http(s) link",
                thrown.getMessage());
        assertFalse(thrown.getMessage().contains("carla-at-example"));
        verifyNoInteractions(failingMailer);
    }

    @Test
    void aLineBreakInAFieldCannotForgeAHeader() {
        WelcomeEmailRequested forged = new WelcomeEmailRequested(ID, AT, NONE, "user-1", "ada@example.com",
                "Ada\r\nBcc: everyone@example.com");

        InvalidMailPayload thrown = assertThrows(InvalidMailPayload.class,
                () -> new SendWelcomeEmail(mailer).handle(forged));

        assertTrue(thrown.getMessage().endsWith("displayName contains a line break"), thrown.getMessage());
        assertEquals(List.of(), mailer.sent());
    }

    @Test
    void aFailedDeliveryReachesTheTransportAsRetryable() {
        MailDeliveryException down = new MailDeliveryException("SMTP server smtp.example.com:465 unreachable",
                new ConnectException("Connection refused"));
        doThrow(down).when(failingMailer).send(any());

        MailDeliveryException thrown = assertThrows(MailDeliveryException.class,
                () -> new SendWelcomeEmail(failingMailer).handle(new WelcomeEmailRequested(ID, AT, NONE, "user-1",
                        "ada@example.com", "Ada")));

        assertSame(down, thrown);
        assertFalse(NonRetryable.isNonRetryable(thrown));
    }
}
