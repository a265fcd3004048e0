package io.hexbus.sample.invoicing.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * Issues a draft invoice and publishes {@link InvoiceIssued}. It knows the {@link EventBus} port only: the
 * same code runs on the in-memory bus and on the queue.
 *
 * <p>Finding the draft, saving it issued and publishing the event run in one {@link UnitOfWork}. Why: saving and
 * publishing are two writes, and on their own either can be kept without the other: an invoice issued whose mail
 * never goes (the process dies before {@code publish}), or a mail announcing an invoice whose save then failed.
 * Composed with the transactional outbox, the unit is one database transaction in which the event is a row: the
 * invoice and its event commit together or not at all. Composed with {@link UnitOfWork#direct()} (no database),
 * the code is the same and publishes at once. The draft is read inside the unit too, so that the save writes what
 * that transaction read.
 */
public final class IssueInvoiceUseCase {

    /** Why an invoice was not issued. */
    public enum Failure {
        /** No invoice has that id. */
        NOT_FOUND,
        /** It was issued before. */
        ALREADY_ISSUED,
        /** Its total is zero or negative. */
        TOTAL_NOT_POSITIVE
    }

    private final InvoiceRepository invoices;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param invoices where invoices are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock    the time of issue
     */
    @Inject
    public IssueInvoiceUseCase(InvoiceRepository invoices, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.invoices = Objects.requireNonNull(invoices, "invoices");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param invoiceId   the draft to issue
     * @param performedBy who issues it
     * @return the published event, or why nothing was published
     */
    public Either<Failure, InvoiceIssued> issue(String invoiceId, String performedBy) {
        return unitOfWork.call(() -> {
            Invoice invoice = invoices.findById(invoiceId).orElse(null);
            if (invoice == null) {
                return Either.left(Failure.NOT_FOUND);
            }
            return invoice.issue(EventIds.newId(), clock.instant(), performedBy)
                    .mapLeft(refusal -> Failure.valueOf(refusal.name()))
                    .peek(issued -> {
                        invoices.save(invoice);
                        eventBus.publish(issued);
                    });
        });
    }
}
