package io.hexbus.sample.membership.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * Removes a member from a business and publishes {@link MemberRemovedEmailRequested}. Refuses invalid input,
 * an unknown business or member, and removing the owner; nothing is published then.
 */
public final class RemoveMemberUseCase {

    private final Businesses businesses;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param businesses where businesses are kept
     * @param eventBus   where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock      the time of the removal
     */
    @Inject
    public RemoveMemberUseCase(Businesses businesses, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.businesses = Objects.requireNonNull(businesses, "businesses");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param businessId  the business
     * @param memberEmail the member to remove
     * @param removedBy   the name of who removes them
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, MemberRemovedEmailRequested> remove(String businessId, String memberEmail,
                                                               String removedBy) {
        return unitOfWork.call(() ->
                PayloadChecks.start().text("businessId", businessId).email("memberEmail", memberEmail)
                .text("removedBy", removedBy)
                .result(businessId).toEither().mapLeft(Refusal::invalid)
                .flatMap(businesses::require)
                .flatMap(business -> business.remove(memberEmail).map(removed -> {
                    businesses.save(business);
                    return new MemberRemovedEmailRequested(EventIds.newId(), clock.instant(),
                            EventMetadata.EMPTY.withTenantId(businessId).withPerformedBy(removedBy), businessId,
                            business.name(), removed.email(), removed.name(), removedBy);
                }))
                .peek(eventBus::publish));
    }
}
