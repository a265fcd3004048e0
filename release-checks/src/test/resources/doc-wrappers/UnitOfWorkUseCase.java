import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;

/** A use case whose save and publish are one unit of work (docs/outbox.md). */
class UnitOfWorkUseCase {

    InvoiceIssued issue(UnitOfWork unitOfWork, InvoiceRepository invoices, EventBus eventBus, String invoiceId,
                        InvoiceIssued issued) {
        // fragment
    }
}
