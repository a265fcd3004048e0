package io.hexbus.adapters.guice;

import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lines the registry logs say only what applies to how this process runs handlers. */
class HandlerExecutionTest {

    private static final SubscriptionOptions OPTIONS = SubscriptionOptions.DEFAULT
            .withRetryPolicy(RetryPolicy.exponential(3, Duration.ofSeconds(2)));

    @Test
    void inMemoryARegistrationMentionsNeitherRetriesNorATimeout() {
        assertEquals(Optional.of("Subscription mail.welcome on identity.signed-up: registered"),
                HandlerExecution.IN_PUBLISHER_THREAD.registeredLine("mail.welcome", "identity.signed-up", OPTIONS));
        assertEquals("4 subscription(s) registered, 1 disabled; in memory, handlers run in the publisher's thread",
                HandlerExecution.IN_PUBLISHER_THREAD.summary(4, 1));
    }

    @Test
    void onTheQueuesWorkersARegistrationShowsItsRetriesAndTimeout() {
        assertEquals(Optional.of("Subscription mail.welcome on identity.signed-up: registered (3 retries, timeout PT30S)"),
                HandlerExecution.BY_QUEUE_WORKERS.registeredLine("mail.welcome", "identity.signed-up", OPTIONS));
        assertEquals("4 subscription(s) registered, 1 disabled; this process's workers run them",
                HandlerExecution.BY_QUEUE_WORKERS.summary(4, 1));
    }

    @Test
    void aProcessThatOnlyPublishesLogsNoLinePerSubscriptionButOneSummary() {
        assertEquals(Optional.empty(),
                HandlerExecution.ELSEWHERE.registeredLine("mail.welcome", "identity.signed-up", OPTIONS));
        assertEquals(Optional.empty(), HandlerExecution.ELSEWHERE.disabledLine("mail.welcome", "identity.signed-up"));
        assertEquals("4 subscription(s) registered, 1 disabled; this process only publishes: the workers of other"
                + " processes run them", HandlerExecution.ELSEWHERE.summary(4, 1));
    }

    @Test
    void onTheNoneTransportNoLineSaysAHandlerRunsAndTheSummarySaysNothingIsDelivered() {
        assertEquals(Optional.empty(),
                HandlerExecution.NEVER.registeredLine("mail.welcome", "identity.signed-up", OPTIONS));
        assertEquals("4 subscription(s) registered, 1 disabled; the transport delivers nothing: no handler runs",
                HandlerExecution.NEVER.summary(4, 1));
    }

    @Test
    void aDisabledSubscriptionIsLoggedWhereHandlersRunHere() {
        for (HandlerExecution execution : new HandlerExecution[] {HandlerExecution.IN_PUBLISHER_THREAD,
                HandlerExecution.BY_QUEUE_WORKERS}) {
            assertEquals(Optional.of("Subscription mail.welcome on identity.signed-up: disabled by configuration,"
                    + " not registered"), execution.disabledLine("mail.welcome", "identity.signed-up"));
        }
    }
}
