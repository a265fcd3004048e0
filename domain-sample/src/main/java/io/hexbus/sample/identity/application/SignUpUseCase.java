package io.hexbus.sample.identity.application;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.domain.UserAccount;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs a user up and publishes {@link WelcomeEmailRequested}. Refuses an invalid address or name, and an
 * address that already has an account; nothing is published then.
 */
public final class SignUpUseCase {

    private final UserAccounts accounts;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * @param accounts where accounts are kept
     * @param eventBus where the event goes
     * @param unitOfWork runs the save and the publish as one unit, so that with the
     *                   transactional outbox the event exists if and only if the change committed
     * @param clock    the time of sign-up
     */
    @Inject
    public SignUpUseCase(UserAccounts accounts, EventBus eventBus, UnitOfWork unitOfWork, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param email       the address to sign up with
     * @param displayName how mails will address the user
     * @return the published event, or why nothing was published
     */
    public Either<Refusal, WelcomeEmailRequested> signUp(String email, String displayName) {
        return unitOfWork.call(() -> {
            String userId = "user-" + UUID.randomUUID();
            WelcomeEmailRequested event = new WelcomeEmailRequested(EventIds.newId(), clock.instant(),
                    EventMetadata.EMPTY.withPerformedBy(userId), userId, email, displayName);
            return event.validate().toEither().mapLeft(Refusal::invalid)
                    .filterOrElse(valid -> accounts.findByEmail(email).isEmpty(),
                            valid -> Refusal.conflict("an account with this email address exists"))
                    .peek(valid -> {
                        accounts.save(new UserAccount(userId, email, displayName, false));
                        eventBus.publish(valid);
                    });
        });
    }
}
