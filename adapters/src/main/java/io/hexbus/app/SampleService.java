package io.hexbus.app;

import io.hexbus.adapters.http.SampleHttpRoutes;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.application.InMemoryUserAccounts;
import io.hexbus.sample.identity.application.RequestVerificationUseCase;
import io.hexbus.sample.identity.application.SignUpUseCase;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.membership.application.ChangeMemberRoleUseCase;
import io.hexbus.sample.membership.application.InMemoryBusinesses;
import io.hexbus.sample.membership.application.InviteMemberUseCase;
import io.hexbus.sample.membership.application.JoinBusinessUseCase;
import io.hexbus.sample.membership.application.RemoveMemberUseCase;
import io.hexbus.sample.payments.application.CancelPaymentUseCase;
import io.hexbus.sample.payments.application.CheckOutUseCase;
import io.hexbus.sample.payments.application.ConfirmPaymentUseCase;
import io.hexbus.sample.payments.application.InMemoryPayments;
import jakarta.inject.Inject;

/**
 * The sample service as Guice wires it: its stores (the invoices in PostgreSQL with {@code DATABASE_URL}, the rest
 * in memory), the unit of work its use cases run in, and its use cases, each use case holding whichever
 * {@code EventBus} the composition root bound. Seeding the invoice store goes through {@link #unitOfWork}, as any
 * write to it must. Its handlers are registered by the
 * {@link io.hexbus.adapters.guice.HandlerRegistry}, not here.
 */
final class SampleService {

    final UnitOfWork unitOfWork;
    final InvoiceRepository invoices;
    final InMemoryInvoiceAuditLog auditLog;
    final InMemoryUserAccounts accounts;
    final InMemoryBusinesses businesses;
    final InMemoryPayments payments;

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

    @Inject
    SampleService(UnitOfWork unitOfWork, InvoiceRepository invoices, InMemoryInvoiceAuditLog auditLog,
                  InMemoryUserAccounts accounts,
                  InMemoryBusinesses businesses, InMemoryPayments payments, IssueInvoiceUseCase issueInvoice,
                  SignUpUseCase signUp, RequestVerificationUseCase requestVerification, InviteMemberUseCase inviteMember,
                  JoinBusinessUseCase joinBusiness, ChangeMemberRoleUseCase changeMemberRole,
                  RemoveMemberUseCase removeMember, CheckOutUseCase checkOut, ConfirmPaymentUseCase confirmPayment,
                  CancelPaymentUseCase cancelPayment) {
        this.unitOfWork = unitOfWork;
        this.invoices = invoices;
        this.auditLog = auditLog;
        this.accounts = accounts;
        this.businesses = businesses;
        this.payments = payments;
        this.issueInvoice = issueInvoice;
        this.signUp = signUp;
        this.requestVerification = requestVerification;
        this.inviteMember = inviteMember;
        this.joinBusiness = joinBusiness;
        this.changeMemberRole = changeMemberRole;
        this.removeMember = removeMember;
        this.checkOut = checkOut;
        this.confirmPayment = confirmPayment;
        this.cancelPayment = cancelPayment;
    }

    /**
     * @return the HTTP routes that drive these use cases
     */
    SampleHttpRoutes httpRoutes() {
        return new SampleHttpRoutes(issueInvoice, signUp, requestVerification, inviteMember, joinBusiness,
                changeMemberRole, removeMember, checkOut, confirmPayment, cancelPayment);
    }
}
