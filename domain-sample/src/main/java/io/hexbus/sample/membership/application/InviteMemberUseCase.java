package io.hexbus.sample.membership.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Invites an address to a business and publishes {@link InvitationEmailRequested}. Refuses invalid input, an
 * unknown business, an address that is already a member and an invitation as owner; nothing is published then.
 */
public final class InviteMemberUseCase {

    /** How long an invitation link works. */
    public static final Duration LINK_LIFETIME = Duration.ofDays(7);

    private final Businesses businesses;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Links links;
    private final Clock clock;

    /**
     * @param businesses where businesses are kept
     * @param eventBus   where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param links      builds the invitation link
     * @param clock      the time of the invitation
     */
    @Inject
    public InviteMemberUseCase(Businesses businesses, EventBus eventBus, UnitOfWork unitOfWork,
                               Links links, Clock clock) {
        this.businesses = Objects.requireNonNull(businesses, "businesses");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.links = Objects.requireNonNull(links, "links");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param businessId   the business
     * @param inviteeEmail who is invited
     * @param role         the role offered
     * @param invitedBy    the name of who invites
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, InvitationEmailRequested> invite(String businessId, String inviteeEmail, MemberRole role,
                                                            String invitedBy) {
        return unitOfWork.call(() ->
                PayloadChecks.start().text("businessId", businessId).email("inviteeEmail", inviteeEmail)
                .present("role", role).text("invitedBy", invitedBy)
                .result(businessId).toEither().mapLeft(Refusal::invalid)
                .flatMap(businesses::require)
                .flatMap(business -> business.invite(inviteeEmail, role).map(offered -> {
                    businesses.save(business);
                    Instant now = clock.instant();
                    return new InvitationEmailRequested(EventIds.newId(), now,
                            EventMetadata.EMPTY.withTenantId(businessId).withPerformedBy(invitedBy), businessId,
                            business.name(), inviteeEmail, offered, invitedBy,
                            links.to("/businesses/" + businessId + "/join?invitation=" + UUID.randomUUID()),
                            now.plus(LINK_LIFETIME));
                }))
                .peek(eventBus::publish));
    }
}
