package io.hexbus.sample.payments.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Opens a pending payment and publishes {@link CheckoutEmailRequested} with the link that completes it.
 * Refuses invalid input (an amount that is not positive among it); nothing is published then.
 */
public final class CheckOutUseCase {

    private final Payments payments;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Links links;
    private final Clock clock;

    /**
     * @param payments where payments are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param links    builds the checkout link
     * @param clock    the time of checkout
     */
    @Inject
    public CheckOutUseCase(Payments payments, EventBus eventBus, UnitOfWork unitOfWork, Links links, Clock clock) {
        this.payments = Objects.requireNonNull(payments, "payments");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.links = Objects.requireNonNull(links, "links");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param customerEmail who pays
     * @param customerName  how mails address the customer
     * @param description   what is paid for
     * @param amount        how much
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, CheckoutEmailRequested> checkOut(String customerEmail, String customerName,
                                                            String description, Money amount) {
        return unitOfWork.call(() -> {
            String paymentId = "pay-" + UUID.randomUUID();
            CheckoutEmailRequested event = new CheckoutEmailRequested(EventIds.newId(), clock.instant(),
                    EventMetadata.EMPTY.withPerformedBy(customerEmail), paymentId, customerEmail, customerName,
                    description, amount, links.to("/checkout/" + paymentId));
            return event.validate().toEither().mapLeft(Refusal::invalid)
                    .peek(valid -> {
                        payments.save(new Payment(paymentId, customerEmail, customerName, description, amount));
                        eventBus.publish(valid);
                    });
        });
    }
}
