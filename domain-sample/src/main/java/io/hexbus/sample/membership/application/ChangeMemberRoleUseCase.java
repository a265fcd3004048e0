package io.hexbus.sample.membership.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;

/**
 * Changes a member's role and publishes {@link RoleChangedEmailRequested}. Refuses invalid input, an unknown
 * business or member, an unchanged role and any change of ownership; nothing is published then.
 */
public final class ChangeMemberRoleUseCase {

    private final Businesses businesses;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param businesses where businesses are kept
     * @param eventBus   where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock      the time of the change
     */
    @Inject
    public ChangeMemberRoleUseCase(Businesses businesses, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.businesses = Objects.requireNonNull(businesses, "businesses");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param businessId  the business
     * @param memberEmail the member
     * @param newRole     the role to give
     * @param changedBy   the name of who changes it
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, RoleChangedEmailRequested> changeRole(String businessId, String memberEmail,
                                                                 MemberRole newRole, String changedBy) {
        return unitOfWork.call(() ->
                PayloadChecks.start().text("businessId", businessId).email("memberEmail", memberEmail)
                .present("newRole", newRole).text("changedBy", changedBy)
                .result(businessId).toEither().mapLeft(Refusal::invalid)
                .flatMap(businesses::require)
                .flatMap(business -> business.changeRole(memberEmail, newRole).map(before -> {
                    businesses.save(business);
                    return new RoleChangedEmailRequested(EventIds.newId(), clock.instant(),
                            EventMetadata.EMPTY.withTenantId(businessId).withPerformedBy(changedBy), businessId,
                            business.name(), before.email(), before.name(), before.role(), newRole, changedBy);
                }))
                .peek(eventBus::publish));
    }
}
