package io.hexbus.sample.notifications;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.DuplicateSubscriptionException;
import io.hexbus.api.handling.Registration;
import io.hexbus.api.handling.Subscription;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InvoicingHandlers;
import io.hexbus.sample.invoicing.application.RecordInvoiceAudit;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.testing.RecordingMailer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MailHandlersTest {

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());

    @Test
    void registersElevenMailSubscriptionsUnderStableNamesOnElevenEvents() {
        List<Registration> registrations = new MailHandlers(new RecordingMailer()).register(processor);

        assertEquals(List.of("notifications.send-welcome-email", "notifications.send-verification-email",
                        "notifications.send-invitation-email", "notifications.send-role-changed-email",
                        "notifications.send-member-removed-email", "notifications.send-member-welcome-email",
                        "notifications.send-checkout-email", "notifications.send-payment-succeeded-email",
                        "notifications.send-payment-canceled-email", "notifications.send-invoice-email",
                        "notifications.send-invoice-reminder-email"),
                registrations.stream().map(r -> r.subscription().name()).toList());
        assertEquals(Set.of("identity.welcome-email-requested", "identity.verification-email-requested",
                        "membership.invitation-email-requested", "membership.role-changed-email-requested",
                        "membership.member-removed-email-requested", "membership.member-welcome-email-requested",
                        "payments.checkout-email-requested", "payments.payment-succeeded-email-requested",
                        "payments.payment-canceled-email-requested", "invoicing.invoice-issued",
                        "invoicing.invoice-reminder-email-requested"),
                processor.subscribedEventNames());
    }

    @Test
    void anIssuedInvoiceHasTwoSubscriptionsTheAuditAndTheMail() {
        new InvoicingHandlers(new InMemoryInvoiceAuditLog()).register(processor);
        new MailHandlers(new RecordingMailer()).register(processor);

        assertEquals(List.of(RecordInvoiceAudit.class.getName(), SendInvoiceEmail.SUBSCRIPTION),
                processor.subscriptionsFor(InvoiceIssued.NAME).stream().map(Subscription::name).toList());
    }

    @Test
    void registeringTwiceIsRefusedAndRemovingUndoesIt() {
        List<Registration> first = new MailHandlers(new RecordingMailer()).register(processor);

        assertThrows(DuplicateSubscriptionException.class,
                () -> new MailHandlers(new RecordingMailer()).register(processor));

        first.forEach(Registration::remove);
        assertEquals(Set.of(), processor.subscribedEventNames());
    }
}
