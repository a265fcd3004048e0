package io.hexbus.sample.payments.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * Cancels a pending payment and publishes {@link PaymentCanceledEmailRequested}. Refuses a missing reason, an
 * unknown payment and one that already ended; nothing is published then.
 */
public final class CancelPaymentUseCase {

    private final Payments payments;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param payments where payments are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock    the time of the cancellation
     */
    @Inject
    public CancelPaymentUseCase(Payments payments, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.payments = Objects.requireNonNull(payments, "payments");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param paymentId  the payment
     * @param reason     why it is canceled, as the customer will read it
     * @param canceledBy who cancels it
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, PaymentCanceledEmailRequested> cancel(String paymentId, String reason,
                                                                 String canceledBy) {
        return unitOfWork.call(() -> PayloadChecks.start().text("reason", reason).text("canceledBy", canceledBy)
                .result(paymentId).toEither().mapLeft(Refusal::invalid)
                .flatMap(payments::require)
                .flatMap(payment -> payment.cancel().map(canceled -> {
                    payments.save(canceled);
                    return new PaymentCanceledEmailRequested(EventIds.newId(), clock.instant(),
                            EventMetadata.EMPTY.withPerformedBy(canceledBy), canceled.id(),
                            canceled.customerEmail(), canceled.customerName(), canceled.description(),
                            canceled.amount(), reason);
                }))
                .peek(eventBus::publish));
    }
}
