package io.hexbus.engine;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressReportTest {

    private static final UUID ID = UUID.randomUUID();

    @Test
    void onTheQueueEachSubscriptionIsDoneDeadDueOrWaiting() {
        Progress progress = new Progress(Set.of("audit"), Set.of("sms"), Map.of("sms", 1, "mail", 2),
                Map.of("mail", 5_000L), 0, "subscription 'mail': java.io.IOException: timeout");

        EventProgress report = ProgressReport.onQueue(ID, "invoice.issued", progress,
                List.of("audit", "mail", "sms", "ledger"));

        assertEquals(List.of(
                new SubscriptionProgress("audit", State.DONE, 0, Optional.empty(), Optional.empty()),
                new SubscriptionProgress("mail", State.RETRY_SCHEDULED, 2, Optional.of(Instant.ofEpochMilli(5_000)),
                        Optional.of("subscription 'mail': java.io.IOException: timeout")),
                new SubscriptionProgress("sms", State.DEAD, 1, Optional.empty(), Optional.empty()),
                new SubscriptionProgress("ledger", State.WAITING, 0, Optional.empty(), Optional.empty())),
                report.subscriptions(), "the last error is told only to the subscription it names");
    }

    @Test
    void aSubscriptionTheRecordNamesIsReportedEvenIfTheApplicationNoLongerHasIt() {
        Progress progress = new Progress(Set.of("removed-since"), Set.of(), Map.of(), Map.of(), 0, "");

        assertEquals(List.of("audit", "removed-since"), ProgressReport.onQueue(ID, "n", progress, List.of("audit"))
                .subscriptions().stream().map(SubscriptionProgress::subscription).toList());
    }

    @Test
    void aDeadLetterIsDeadForItsFailedSubscriptionsAndDoneForTheOthers() {
        DeadLetter letter = new DeadLetter(ID, "invoice.issued", List.of("mail"), 4, "subscription 'mail': boom",
                Instant.EPOCH, Instant.EPOCH, "{}");

        EventProgress report = ProgressReport.deadLettered(letter, List.of("audit", "mail"));

        assertEquals(List.of(new SubscriptionProgress("audit", State.DONE, 0, Optional.empty(), Optional.empty()),
                new SubscriptionProgress("mail", State.DEAD, 4, Optional.empty(),
                        Optional.of("subscription 'mail': boom"))), report.subscriptions());
    }

    @Test
    void aCompletedEventIsDoneForEverySubscription() {
        assertEquals(List.of(State.DONE, State.DONE), ProgressReport.completed(ID, "n", List.of("a", "b"))
                .subscriptions().stream().map(SubscriptionProgress::state).toList());
    }
}
