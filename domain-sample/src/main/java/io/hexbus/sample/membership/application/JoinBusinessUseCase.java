package io.hexbus.sample.membership.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * An invited address joins a business, and {@link MemberWelcomeEmailRequested} is published. Refuses invalid
 * input, an unknown business and an address without a pending invitation; nothing is published then.
 */
public final class JoinBusinessUseCase {

    private final Businesses businesses;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param businesses where businesses are kept
     * @param eventBus   where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock      the time of joining
     */
    @Inject
    public JoinBusinessUseCase(Businesses businesses, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.businesses = Objects.requireNonNull(businesses, "businesses");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param businessId the business
     * @param email      the invited address
     * @param name       how mails will address the new member
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, MemberWelcomeEmailRequested> join(String businessId, String email, String name) {
        return unitOfWork.call(() ->
                PayloadChecks.start().text("businessId", businessId).email("email", email).text("name", name)
                .result(businessId).toEither().mapLeft(Refusal::invalid)
                .flatMap(businesses::require)
                .flatMap(business -> business.join(email, name).map(member -> {
                    businesses.save(business);
                    return new MemberWelcomeEmailRequested(EventIds.newId(), clock.instant(),
                            EventMetadata.EMPTY.withTenantId(businessId).withPerformedBy(name), businessId,
                            business.name(), member.email(), member.name(), member.role());
                }))
                .peek(eventBus::publish));
    }
}
