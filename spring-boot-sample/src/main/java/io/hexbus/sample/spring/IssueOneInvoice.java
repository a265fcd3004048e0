package io.hexbus.sample.spring;

import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.shared.Money;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * On start, drafts one invoice and issues it, so the invoice mail goes (in memory before {@code run} returns, on a
 * queue on the worker). Off with {@code sample.issue-one-invoice=false}.
 */
@Component
@ConditionalOnProperty(name = "sample.issue-one-invoice", havingValue = "true", matchIfMissing = true)
public class IssueOneInvoice implements CommandLineRunner {

    private final InMemoryInvoiceRepository invoices;
    private final IssueInvoiceUseCase issueInvoice;

    /**
     * @param invoices     where the draft is saved
     * @param issueInvoice the use case
     */
    public IssueOneInvoice(InMemoryInvoiceRepository invoices, IssueInvoiceUseCase issueInvoice) {
        this.invoices = invoices;
        this.issueInvoice = issueInvoice;
    }

    @Override
    public void run(String... args) {
        String id = "invoice-" + UUID.randomUUID();
        invoices.save(Invoice.draft(id, "INV-2026-0001", "acme", "billing@acme.example", "store-1",
                Money.of("120.00", "EUR")));
        issueInvoice.issue(id, "spring-boot-sample").getOrElseThrow(failure ->
                new IllegalStateException("the sample invoice was not issued: " + failure));
    }
}
