package io.hexbus.app;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.sample.identity.application.InMemoryUserAccounts;
import io.hexbus.sample.identity.application.RequestVerificationUseCase;
import io.hexbus.sample.identity.application.SignUpUseCase;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoicingHandlers;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.membership.application.ChangeMemberRoleUseCase;
import io.hexbus.sample.membership.application.InMemoryBusinesses;
import io.hexbus.sample.membership.application.InviteMemberUseCase;
import io.hexbus.sample.membership.application.JoinBusinessUseCase;
import io.hexbus.sample.membership.application.RemoveMemberUseCase;
import io.hexbus.sample.notifications.MailHandlers;
import io.hexbus.sample.payments.application.CancelPaymentUseCase;
import io.hexbus.sample.payments.application.CheckOutUseCase;
import io.hexbus.sample.payments.application.ConfirmPaymentUseCase;
import io.hexbus.sample.payments.application.InMemoryPayments;
import io.hexbus.sample.shared.Links;

import java.time.Clock;

/**
 * The sample service wired by hand: its in-memory stores, its handlers registered with the processor, and its
 * use cases publishing to the bus. A later Guice module replaces this class; nothing else changes.
 */
final class SampleService {

    final InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
    final InMemoryInvoiceAuditLog auditLog = new InMemoryInvoiceAuditLog();
    final InMemoryUserAccounts accounts = new InMemoryUserAccounts();
    final InMemoryBusinesses businesses = new InMemoryBusinesses();
    final InMemoryPayments payments = new InMemoryPayments();

    final IssueInvoiceUseCase issueInvoice;
    final SignUpUseCase signUp;
    final RequestVerificationUseCase requestVerification;
    final InviteMemberUseCase inviteMember;
    final JoinBusinessUseCase joinBusiness;
    final ChangeMemberRoleUseCase changeMemberRole;
    final RemoveMemberUseCase removeMember;
    final CheckOutUseCase checkOut;
    final ConfirmPaymentUseCase confirmPayment;
    final CancelPaymentUseCase cancelPayment;

    /**
     * Registers the sample's handlers with {@code processor} and builds its use cases on {@code eventBus}.
     */
    SampleService(DomainEventsProcessor processor, EventBus eventBus, Mailer mailer, Links links, Clock clock) {
        new InvoicingHandlers(auditLog).register(processor);
        new MailHandlers(mailer).register(processor);

        issueInvoice = new IssueInvoiceUseCase(invoices, eventBus, clock);
        signUp = new SignUpUseCase(accounts, eventBus, clock);
        requestVerification = new RequestVerificationUseCase(accounts, eventBus, links, clock);
        inviteMember = new InviteMemberUseCase(businesses, eventBus, links, clock);
        joinBusiness = new JoinBusinessUseCase(businesses, eventBus, clock);
        changeMemberRole = new ChangeMemberRoleUseCase(businesses, eventBus, clock);
        removeMember = new RemoveMemberUseCase(businesses, eventBus, clock);
        checkOut = new CheckOutUseCase(payments, eventBus, links, clock);
        confirmPayment = new ConfirmPaymentUseCase(payments, eventBus, clock);
        cancelPayment = new CancelPaymentUseCase(payments, eventBus, clock);
    }
}
