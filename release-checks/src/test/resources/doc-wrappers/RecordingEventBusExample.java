import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.inmemory.testing.RecordingEventBus;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;

import java.time.Clock;

/** A use case's test with RecordingEventBus (README, "Testing"). */
class RecordingEventBusExample {

    void issuingPublishesOneInvoiceIssued(InvoiceRepository invoices, Clock clock) {
        // fragment
    }
}
