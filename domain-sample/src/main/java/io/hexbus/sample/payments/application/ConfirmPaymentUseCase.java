package io.hexbus.sample.payments.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * Records that a pending payment succeeded (the payment provider confirmed it) and publishes
 * {@link PaymentSucceededEmailRequested}. Refuses a missing confirmer, an unknown payment and one that already ended; nothing is
 * published then.
 */
public final class ConfirmPaymentUseCase {

    private final Payments payments;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param payments where payments are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock    the time of the confirmation
     */
    @Inject
    public ConfirmPaymentUseCase(Payments payments, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.payments = Objects.requireNonNull(payments, "payments");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param paymentId   the payment
     * @param confirmedBy who confirms it (the payment provider's id)
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, PaymentSucceededEmailRequested> paymentSucceeded(String paymentId, String confirmedBy) {
        return unitOfWork.call(() -> PayloadChecks.start().text("confirmedBy", confirmedBy)
                .result(paymentId).toEither().mapLeft(Refusal::invalid)
                .flatMap(payments::require)
                .flatMap(payment -> payment.succeed().map(paid -> {
                    payments.save(paid);
                    return new PaymentSucceededEmailRequested(EventIds.newId(), clock.instant(),
                            EventMetadata.EMPTY.withPerformedBy(confirmedBy), paid.id(), paid.customerEmail(),
                            paid.customerName(), paid.description(), paid.amount());
                }))
                .peek(eventBus::publish));
    }
}
