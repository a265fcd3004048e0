package io.hexbus.sample.identity.application;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.domain.UserAccount;
import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.Refusal;
import io.hexbus.sample.testing.Published;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(MockitoExtension.class)
class RequestVerificationUseCaseTest {

    @Mock
    private EventBus eventBus;

    private final UserAccounts accounts = new InMemoryUserAccounts();

    private RequestVerificationUseCase useCase() {
        return new RequestVerificationUseCase(accounts, eventBus, UnitOfWork.direct(),
                Links.of("https://app.example.com/"), Published.CLOCK);
    }

    @Test
    void anUnverifiedUserGetsAVerificationLinkValidForADay() {
        accounts.save(new UserAccount("user-1", "ada@example.com", "Ada", false));

        assertTrue(useCase().request("user-1").isRight());

        VerificationEmailRequested event = Published.theOnly(eventBus, VerificationEmailRequested.class);
        assertEquals("user-1", event.userId());
        assertEquals("ada@example.com", event.email());
        assertEquals("Ada", event.displayName());
        assertTrue(event.verificationLink().matches("https://app\\.example\\.com/verify-email\\?token=[0-9a-f-]{36}"),
                event.verificationLink());
        assertEquals(Published.NOW.plusSeconds(24 * 3600), event.expiresAt());
        assertEquals("user-1", event.metadata().performedBy());
    }

    @Test
    void anUnknownUserIsRefusedAndNothingIsPublished() {
        assertEquals(Refusal.notFound("no user account has this id"), useCase().request("nobody").getLeft());
        Published.nothing(eventBus);
    }

    @Test
    void aVerifiedAddressIsRefusedAndNothingIsPublished() {
        accounts.save(new UserAccount("user-1", "ada@example.com", "Ada", true));

        assertEquals(Refusal.Kind.CONFLICT, useCase().request("user-1").getLeft().kind());
        Published.nothing(eventBus);
    }
}
