package io.hexbus.app;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoiceAuditLog;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.application.RecordInvoiceAudit;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.shared.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;

/**
 * The sample service's entry point: wires the transport chosen by {@code USE_QUEUE_EVENT_BUS}, registers the
 * handlers, and runs the invoice flow once.
 */
public final class HexbusApp {

    private static final Logger log = LoggerFactory.getLogger(HexbusApp.class);

    private final Map<String, String> environment;

    HexbusApp(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(new HexbusApp(System.getenv()).run());
    }

    /**
     * @return the process exit code: 0 when the flow ran, 2 on a configuration error, 1 on a failure
     */
    int run() {
        TransportChoice transport;
        try {
            transport = TransportChoice.from(environment);
        } catch (IllegalArgumentException badValue) {
            log.error("Configuration error: {}", badValue.getMessage());
            return 2;
        }
        if (transport == TransportChoice.QUEUE) {
            log.error("{}=true selects the Redis queue transport, which this build does not include yet;"
                    + " unset it to run in memory", TransportChoice.VARIABLE);
            return 2;
        }
        log.info("Transport: in-memory ({} is not true): handlers run in the publisher's thread",
                TransportChoice.VARIABLE);

        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        EventBus eventBus = new InMemoryEventBus(processor);
        InvoiceAuditLog auditLog = new InMemoryInvoiceAuditLog();
        processor.register(InvoiceIssued.class, new RecordInvoiceAudit(auditLog));
        processor.register(InvoiceIssued.class, "invoicing.log-issued-invoice", (InvoiceIssued issued) ->
                log.info("Handled {} {}: invoice {} for {} {}", InvoiceIssued.NAME, issued.eventId(),
                        issued.invoiceNumber(), issued.total().amount(), issued.total().currency()));

        InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
        invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9", "billing@company9.example", "store-3", Money.of("120.50", "EUR")));
        IssueInvoiceUseCase issueInvoice = new IssueInvoiceUseCase(invoices, eventBus, Clock.systemUTC());

        issueInvoice.issue("inv-1", "user-42").peekLeft(refused -> log.warn("Invoice refused: {}", refused));
        issueInvoice.issue("inv-1", "user-42").peekLeft(refused ->
                log.info("Issuing inv-1 again is refused by the domain: {}", refused));
        auditLog.entries().forEach(entry -> log.info("Audit: {}", entry));
        return auditLog.entries().size() == 1 ? 0 : 1;
    }
}
