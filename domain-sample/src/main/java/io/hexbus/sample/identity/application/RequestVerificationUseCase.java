package io.hexbus.sample.identity.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.domain.UserAccount;
import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Sends a user a link that confirms their address, by publishing {@link VerificationEmailRequested}. Refuses
 * an unknown user and an address already confirmed; nothing is published then.
 */
public final class RequestVerificationUseCase {

    /** How long a verification link works. */
    public static final Duration LINK_LIFETIME = Duration.ofHours(24);

    private final UserAccounts accounts;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Links links;
    private final Clock clock;

    /**
     * @param accounts where accounts are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param links    builds the verification link
     * @param clock    the time of the request
     */
    @Inject
    public RequestVerificationUseCase(UserAccounts accounts, EventBus eventBus, UnitOfWork unitOfWork,
                                      Links links, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.links = Objects.requireNonNull(links, "links");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param userId the user whose address to confirm
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, VerificationEmailRequested> request(String userId) {
        return unitOfWork.call(() -> {
            UserAccount account = userId == null ? null : accounts.findById(userId).orElse(null);
            if (account == null) {
                return Either.left(Refusal.notFound("no user account has this id"));
            }
            if (account.verified()) {
                return Either.left(Refusal.conflict("the email address is already verified"));
            }
            Instant now = clock.instant();
            VerificationEmailRequested event = new VerificationEmailRequested(EventIds.newId(), now,
                    EventMetadata.EMPTY.withPerformedBy(userId), userId, account.email(), account.displayName(),
                    links.to("/verify-email?token=" + UUID.randomUUID()), now.plus(LINK_LIFETIME));
            return event.validate().toEither().mapLeft(Refusal::invalid).peek(eventBus::publish);
        });
    }
}
