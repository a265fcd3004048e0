package io.hexbus.sample.identity.application;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.domain.UserAccount;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.shared.Refusal;
import io.hexbus.sample.testing.Published;
import io.vavr.control.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(MockitoExtension.class)
class SignUpUseCaseTest {

    @Mock
    private EventBus eventBus;

    private final UserAccounts accounts = new InMemoryUserAccounts();

    private SignUpUseCase useCase() {
        return new SignUpUseCase(accounts, eventBus, UnitOfWork.direct(), Published.CLOCK);
    }

    @Test
    void signingUpStoresTheAccountAndPublishesTheWelcomeRequest() {
        Either<Refusal, WelcomeEmailRequested> result = useCase().signUp("ada@example.com", "Ada");

        WelcomeEmailRequested event = Published.theOnly(eventBus, WelcomeEmailRequested.class);
        assertEquals(result.get(), event);
        assertEquals("ada@example.com", event.email());
        assertEquals("Ada", event.displayName());
        assertEquals(Published.NOW, event.occurredAt());
        assertEquals(event.userId(), event.metadata().performedBy());
        UserAccount stored = accounts.findById(event.userId()).orElseThrow();
        assertEquals("ada@example.com", stored.email());
        assertFalse(stored.verified());
    }

    @Test
    void anInvalidAddressAndABlankNameAreRefusedTogetherAndNothingIsPublished() {
        Either<Refusal, WelcomeEmailRequested> result = useCase().signUp("not-an-address", " ");

        assertEquals(new Refusal(Refusal.Kind.INVALID_INPUT,
                List.of("email is not an email address", "displayName is missing")), result.getLeft());
        Published.nothing(eventBus);
        assertTrue(accounts.findByEmail("not-an-address").isEmpty());
    }

    @Test
    void anAddressThatHasAnAccountIsRefusedWhateverItsCase() {
        accounts.save(new UserAccount("user-1", "ada@example.com", "Ada", true));

        Either<Refusal, WelcomeEmailRequested> result = useCase().signUp("ADA@example.com", "Ada again");

        assertEquals(Refusal.Kind.CONFLICT, result.getLeft().kind());
        Published.nothing(eventBus);
    }
}
