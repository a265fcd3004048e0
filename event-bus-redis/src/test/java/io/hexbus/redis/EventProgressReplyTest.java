package io.hexbus.redis;

import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What event-progress-7.lua answers, read into an EventProgress. */
class EventProgressReplyTest {

    private static final UUID ID = UUID.randomUUID();
    private static final Function<String, List<String>> APP = name -> List.of("ok", "later", "rejects");

    @Test
    void aRetryStillAheadIsScheduledAndOneAlreadyDueIsWaitingForTheWorkerThatTakesIt() {
        List<Object> progress = List.of("done:ok", "1", "attempts:later", "1", "due:later", "5000",
                "attempts:rejects", "2", "due:rejects", "900", "error", "subscription 'later': boom");

        EventProgress read = EventProgressReply.read(ID, List.of("queued", "shipped", "", progress, 1_000L), APP)
                .orElseThrow();

        Map<String, SubscriptionProgress> bySubscription = read.subscriptions().stream()
                .collect(Collectors.toMap(SubscriptionProgress::subscription, p -> p));
        assertEquals(State.DONE, bySubscription.get("ok").state());
        assertEquals(State.RETRY_SCHEDULED, bySubscription.get("later").state());
        assertEquals(Optional.of(Instant.ofEpochMilli(5000)), bySubscription.get("later").nextAttemptAt());
        assertEquals(Optional.of("subscription 'later': boom"), bySubscription.get("later").lastError());
        assertEquals(State.WAITING, bySubscription.get("rejects").state());
        assertEquals(2, bySubscription.get("rejects").attempts());
    }

    @Test
    void aDelayedEventWaitsWithItsDueTimeAsEachSubscriptionsNextAttempt() {
        EventProgress read = EventProgressReply.read(ID, List.of("scheduled", "shipped", "7000"), APP).orElseThrow();

        assertEquals(List.of("ok", "later", "rejects"), read.subscriptions().stream()
                .map(SubscriptionProgress::subscription).toList());
        read.subscriptions().forEach(subscription -> {
            assertEquals(State.WAITING, subscription.state());
            assertEquals(Optional.of(Instant.ofEpochMilli(7000)), subscription.nextAttemptAt());
        });
    }

    @Test
    void aRedeliveryNamesOnlyTheSubscriptionsItRuns() {
        EventProgress read = EventProgressReply.read(ID, List.of("queued", "shipped", "rejects", List.of(), 1L), APP)
                .orElseThrow();

        assertEquals(List.of("rejects"), read.subscriptions().stream().map(SubscriptionProgress::subscription)
                .toList());
    }

    @Test
    void aDeadLetterIsDeadForItsFailedSubscriptionsAndDoneForTheOthers() {
        EventProgress read = EventProgressReply.read(ID, List.of("dead", "shipped", "rejects", "3", "no address",
                "100", "200"), APP).orElseThrow();

        assertEquals(List.of(State.DONE, State.DONE, State.DEAD), read.subscriptions().stream()
                .map(SubscriptionProgress::state).toList());
        assertEquals(3, read.subscriptions().get(2).attempts());
    }

    @Test
    void anEmptyAnswerIsUnknownAndAnUnexpectedOneFails() {
        assertEquals(Optional.empty(), EventProgressReply.read(ID, List.of(), APP));
        assertThrows(IllegalStateException.class, () -> EventProgressReply.read(ID, List.of("lost", "x"), APP));
    }
}
