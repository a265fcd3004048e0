package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.Progress;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A worker that stopped between its ledger's settle and what follows it leaves the next worker a decision: the
 * message the broker redelivers is not run again; a retry recorded but never written is written from it.
 */
class RabbitLedgerRecoveryTest {

    private final RabbitQueueUnderTest queue = new RabbitQueueUnderTest();
    private final EventTypeRegistry types = new EventTypeRegistry().register(ParcelShipped.class);
    private final DomainEventsProcessor processor = new DomainEventsProcessor(types);
    private final AtomicInteger doneBefore = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void aRetryRecordedInTheLedgerButNeverWrittenIsWrittenByTheNextWorkerAndRunsOnlyWhatFailed() throws Exception {
        processor.register(ParcelShipped.class, "done-before", (ParcelShipped e) -> doneBefore.incrementAndGet());
        processor.register(ParcelShipped.class, "retried", (ParcelShipped e) -> retried.incrementAndGet());
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        ParcelShipped event = ContractEvents.shipped(1);
        String lineage = event.eventId().toString();
        long now = System.currentTimeMillis();
        Progress afterRound = new Progress(Set.of("done-before"), Set.of(), Map.of("retried", 1),
                Map.of("retried", now), 0, "boom");
        // As a worker leaves it when it stops after its settle: the round claimed and settled for a retry in the
        // ledger, its message still in the queue (unacknowledged, returned), its retry not written.
        appendToLedger(List.of(new LedgerRecord.Claim(lineage, 0, "orig-1"),
                new LedgerRecord.Settle(lineage, 0, LedgerRecord.Outcome.RETRY,
                        ProgressText.encode(afterRound, now))));
        publishFirstRound(event, "orig-1");

        queue.startWorker(transport);

        await().atMost(Duration.ofSeconds(30)).until(() -> transport.admin().stats().completed() == 1);
        queue.awaitIdle(Duration.ofSeconds(30));
        assertEquals(1, retried.get(), "the failed subscription ran once, in the retry written again");
        assertEquals(0, doneBefore.get(), "the subscription recorded done did not run again");
    }

    @Test
    void aRoundSettledDoneWhoseAcknowledgementWasLostIsDroppedNotRunAgain() throws Exception {
        processor.register(ParcelShipped.class, "once", (ParcelShipped e) -> finished.incrementAndGet());
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        ParcelShipped settled = ContractEvents.shipped(1);
        ParcelShipped fresh = ContractEvents.shipped(2);
        String lineage = settled.eventId().toString();
        appendToLedger(List.of(new LedgerRecord.Claim(lineage, 0, "orig-1"),
                new LedgerRecord.Settle(lineage, 0, LedgerRecord.Outcome.DONE, null)));
        publishFirstRound(settled, "orig-1");
        publishFirstRound(fresh, "orig-2");

        queue.startWorker(transport);

        await().atMost(Duration.ofSeconds(30)).until(() -> finished.get() == 1);
        queue.awaitIdle(Duration.ofSeconds(30));
        assertEquals(1, finished.get(), "only the event not settled before ran");
    }

    private void appendToLedger(List<LedgerRecord> records) {
        RabbitQueueSettings settings = queue.settings();
        try (Connection connection = TestRabbit.factory().newConnection("hexbus-test-ledger");
             LedgerStream ledger = LedgerStream.open(connection, settings.names().ledgerStream(),
                     new Ledger(settings.dedupeWindow().toMillis(), 1_000), Duration.ofSeconds(10))) {
            ledger.append(records);
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publishFirstRound(ParcelShipped event, String messageId) throws Exception {
        io.hexbus.codec.EncodedEvent encoded = EventCodec.of(types).encode(event, Instant.now());
        try (Connection connection = TestRabbit.factory().newConnection("hexbus-test-publish");
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId)
                    .deliveryMode(2).headers(Map.of(Wire.NAME, encoded.name(), Wire.ID,
                            event.eventId().toString(), Wire.LINEAGE, event.eventId().toString(), Wire.ROUND, 0))
                    .build();
            channel.basicPublish(queue.settings().names().exchange(), encoded.name(), properties,
                    encoded.json().getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }
}
