package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The relay against a real PostgreSQL, forwarding to the in-memory transport (or a mock of the port, to fail). */
class OutboxRelayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static OutboxTable table;

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final EventCodec codec = EventCodec.of(processor.eventTypes());
    private final InMemoryEventBus inMemory;
    private final List<Tick> handled = new CopyOnWriteArrayList<>();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final OutboxRelaySettings quick = OutboxRelaySettings.defaults().withName("relay-" + UUID.randomUUID())
            .withPollInterval(Duration.ofMillis(50)).withMinBackoff(Duration.ofMillis(10))
            .withMaxBackoff(Duration.ofMillis(50));

    OutboxRelayTest() {
        processor.register(Tick.class, "record", handled::add);
        inMemory = new InMemoryEventBus(processor);
    }

    @BeforeAll
    static void database() {
        table = new OutboxTable(postgres.dataSource(), null);
        table.migrate();
    }

    @BeforeEach
    void empty() throws SQLException {
        table.truncate();
    }

    @AfterEach
    void stop() {
        relays.forEach(OutboxRelay::close);
    }

    private OutboxTable rows() {
        return new OutboxTable(postgres.dataSource(), codec);
    }

    private OutboxRelay relay(EventBus target, OutboxRelaySettings settings) {
        // Its connections named after it: on a shared DATABASE_URL, other runs' relays listen in the same database.
        PGSimpleDataSource named = new PGSimpleDataSource();
        named.setUrl(postgres.jdbcUrl());
        named.setApplicationName(settings.name());
        OutboxRelay relay = new OutboxRelay(named, codec, target, settings, Clock.systemUTC());
        relays.add(relay);
        relay.start();
        return relay;
    }

    private static List<UUID> ids(List<? extends DomainEvent> events) {
        return events.stream().map(DomainEvent::eventId).toList();
    }

    @Test
    void committedRowsAreForwardedOnceInOrderAndMarkedSent() throws SQLException {
        List<Tick> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(Tick.of("key-" + i % 3, i));
        }
        rows().insert(events, false);

        OutboxRelay relay = relay(inMemory, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 30);
        assertEquals(ids(events), ids(handled), "each once, in commit order");
        OutboxStatus status = relay.status();
        assertEquals(30, status.forwarded());
        assertEquals(0, status.waiting());
        assertEquals(Duration.ZERO, status.oldestWaitingAge());
        assertEquals(0, table.count("attempts > 0"));
    }

    @Test
    void aTargetFailingThreeTimesThenWorkingDeliversEverythingAndRecordsTheAttempts() throws SQLException {
        EventBus target = mock(EventBus.class);
        AtomicInteger calls = new AtomicInteger();
        when(target.publishAll(anyList())).thenAnswer(call -> {
            if (calls.incrementAndGet() <= 3) {
                throw new EventPublishingException("broker down (" + calls.get() + ")",
                        new TransportUnavailableException("broker down", null));
            }
            return inMemory.publishAll(call.getArgument(0));
        });
        List<Tick> events = List.of(Tick.of("a", 1), Tick.of("a", 2), Tick.of("b", 1));
        rows().insert(events, false);

        OutboxRelay relay = relay(target, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 3);
        assertEquals(ids(events), ids(handled), "nothing lost, nothing twice, in order");
        assertEquals(3, table.count("attempts = 3 AND last_error LIKE '%broker down (3)%'"), "each failure recorded");
        OutboxStatus status = relay.status();
        assertTrue(status.failingSince().isEmpty(), "forwarding again");
        assertTrue(status.lastError().orElseThrow().contains("broker down"), status.lastError().toString());
        assertEquals(3, status.forwarded());
    }

    @Test
    void aFailureAfterTheTargetAcceptedTheBatchForwardsItAgainAndTheTargetsIdempotencyDeliversItOnce()
            throws SQLException {
        // As a crash between the forward and the mark: the target has the events, the rows are not marked sent.
        EventBus target = mock(EventBus.class);
        AtomicInteger calls = new AtomicInteger();
        when(target.publishAll(anyList())).thenAnswer(call -> {
            List<PublishOutcome> outcomes = inMemory.publishAll(call.getArgument(0));
            if (calls.incrementAndGet() == 1) {
                throw new EventPublishingException("timed out after the broker took it", null);
            }
            return outcomes;
        });
        List<Tick> events = List.of(Tick.of("k", 1), Tick.of("k", 2));
        rows().insert(events, false);

        relay(target, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 2);
        assertEquals(2, calls.get(), "forwarded again");
        assertEquals(ids(events), ids(handled), "delivered once: the second forward was a duplicate");
    }

    @Test
    void aRowThatDoesNotDecodeIsDeadWithItsReasonAndNoLongerHoldsItsKey() throws SQLException {
        Tick before = Tick.of("k", 1);
        Tick after = Tick.of("k", 3);
        Tick other = Tick.of("other", 1);
        rows().insert(List.of(before), false);
        UUID poison = UUID.randomUUID();
        rows().insertEncoded(List.of(new EncodedEvent(poison, Tick.NAME, "k", "{\"v\":1, \"name\": 12")), false);
        rows().insert(List.of(after, other), false);

        OutboxRelay relay = relay(inMemory, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 3);
        assertEquals(List.of(before.eventId(), after.eventId(), other.eventId()), ids(handled));
        assertEquals(1, table.count("event_id = '" + poison + "' AND dead_at IS NOT NULL AND sent_at IS NULL"
                + " AND last_error LIKE 'does not decode: envelope is not valid JSON%'"));
        OutboxStatus status = relay.status();
        assertEquals(1, status.dead());
        assertEquals(0, status.waiting());
    }

    @Test
    void aRowTheTargetRefusesForGoodIsDeadAndTheRestOfItsBatchGoes() throws SQLException {
        Tick refused = Tick.of("k", 2);
        List<Tick> events = List.of(Tick.of("k", 1), refused, Tick.of("k", 3), Tick.of("j", 1));
        EventBus target = mock(EventBus.class);
        when(target.publishAll(anyList())).thenAnswer(call -> {
            List<DomainEvent> batch = call.getArgument(0);
            if (ids(batch).contains(refused.eventId())) {
                throw new EventTooLargeException("event " + refused.eventId() + " is too large");
            }
            return inMemory.publishAll(batch);
        });
        rows().insert(events, false);

        relay(target, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 3);
        assertEquals(List.of(events.get(0).eventId(), events.get(2).eventId(), events.get(3).eventId()),
                ids(handled));
        assertEquals("refused by the target: " + EventTooLargeException.class.getName() + ": event "
                + refused.eventId() + " is too large",
                table.text("SELECT last_error FROM hexbus_outbox WHERE dead_at IS NOT NULL"));
    }

    @Test
    void anEventOfANewerVersionWaitsForCodeThatReadsItAndHoldsItsKeyButIsNotDead() throws SQLException {
        Tick newer = Tick.of("k", 1);
        Tick behind = Tick.of("k", 2);
        Tick other = Tick.of("other", 1);
        EncodedEvent encoded = codec.encode(newer, Instant.now());
        String json = encoded.json().replace("\"version\":1", "\"version\":2");
        rows().insertEncoded(List.of(new EncodedEvent(encoded.eventId(), encoded.name(), "k", json)), false);
        rows().insert(List.of(behind, other), false);

        relay(inMemory, quick.withMaxBackoff(Duration.ofHours(1)));

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 1);
        assertEquals(List.of(other.eventId()), ids(handled), "the other key goes; k waits behind its newer event");
        assertEquals(1, table.count("event_id = '" + newer.eventId() + "' AND dead_at IS NULL AND attempts = 0"
                + " AND next_attempt_at > now() + interval '50 minutes'"
                + " AND last_error LIKE '%newer than the version 1%'"));
        assertEquals(2, table.count("sent_at IS NULL AND dead_at IS NULL"));
    }

    @Test
    void aKeyHeldBackByARowNotYetDueDoesNotHoldBackOtherKeysHoweverManyRowsItHasWaiting() throws SQLException {
        Tick newer = Tick.of("k", 0);
        EncodedEvent encoded = codec.encode(newer, Instant.now());
        String json = encoded.json().replace("\"version\":1", "\"version\":2");
        rows().insertEncoded(List.of(new EncodedEvent(encoded.eventId(), encoded.name(), "k", json)), false);
        List<Tick> behind = new ArrayList<>();
        for (int i = 1; i <= 25; i++) { // more than a batch: every batch of due rows would be k's, all held back
            behind.add(Tick.of("k", i));
        }
        rows().insert(behind, false);
        Tick other = Tick.of("other", 1);
        rows().insert(List.of(other), false);

        relay(inMemory, quick.withBatchSize(10).withMaxBackoff(Duration.ofHours(1)));

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 1);
        assertEquals(List.of(other.eventId()), ids(handled), "the other key goes; k waits behind its newer event");
        assertEquals(26, table.count("sent_at IS NULL AND dead_at IS NULL AND ordering_key = 'k'"));
    }

    @Test
    void eventsWhoseHandlersFailOnASynchronousTargetWereForwardedAndAreNotForwardedAgain() throws SQLException {
        Tick failing = Tick.of("k", 1);
        processor.register(Tick.class, "broken", (Tick tick) -> {
            if (tick.eventId().equals(failing.eventId())) {
                throw new IllegalStateException("handler down");
            }
        });
        rows().insert(List.of(failing, Tick.of("k", 2)), false);

        OutboxRelay relay = relay(inMemory, quick);

        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 2);
        assertEquals(2, handled.size(), "the other subscription ran once each");
        assertEquals(0, table.count("attempts > 0"), "not a failed forward: re-publishing would be a duplicate");
        assertEquals(Optional.empty(), relay.status().failingSince());
    }

    @Test
    void withoutANotifyThePollFindsTheRows() throws SQLException {
        relay(inMemory, quick.withPollInterval(Duration.ofMillis(100)));
        await().atMost(PATIENCE).until(() -> listeners() == 1);

        Tick event = Tick.of("k", 1);
        rows().insert(List.of(event), false);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertEquals(List.of(event.eventId()), ids(handled));
    }

    @Test
    void aLostListeningConnectionIsOpenedAgainAndNotifiesAgain() throws SQLException {
        relay(inMemory, quick.withPollInterval(Duration.ofHours(1)));
        await().atMost(PATIENCE).until(() -> listeners() == 1);
        String lost = listenerPid();

        table.execute("SELECT pg_terminate_backend(" + lost + ")");
        await().atMost(PATIENCE).until(() -> listeners() == 1 && !lost.equals(listenerPid())); // its replacement
        Tick event = Tick.of("k", 1);
        rows().insert(List.of(event), true);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertEquals(List.of(event.eventId()), ids(handled));
    }

    private String listenerPid() throws SQLException {
        return table.text("SELECT pid FROM pg_stat_activity WHERE application_name = '" + quick.name() + "'"
                + " AND query = 'LISTEN hexbus_outbox'");
    }

    /** The relay's connections whose last statement was its LISTEN: its listener, while it listens. */
    private long listeners() throws SQLException {
        return Long.parseLong(table.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + quick.name() + "' AND query = 'LISTEN hexbus_outbox'"));
    }

    @Test
    void aNotifyWakesTheRelayLongBeforeItsPollInterval() throws SQLException {
        Tick first = Tick.of("k", 1);
        rows().insert(List.of(first), false);
        relay(inMemory, quick.withPollInterval(Duration.ofHours(1)));
        await().atMost(PATIENCE).until(() -> handled.size() == 1); // the pass at start; then it waits an hour

        Tick second = Tick.of("k", 2);
        rows().insert(List.of(second), true);

        await().atMost(PATIENCE).until(() -> handled.size() == 2);
        assertEquals(List.of(first.eventId(), second.eventId()), ids(handled));
    }

    @Test
    void retentionDeletesOnlySentRowsOlderThanIt() throws SQLException {
        List<Tick> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(Tick.of("k" + i, i));
        }
        rows().insert(events, false);
        // Two sent long ago, one sent recently, one dead long ago, two waiting since long ago (forwarded now).
        table.execute("UPDATE hexbus_outbox SET sent_at = now() - interval '2 hours'"
                + " WHERE ordering_key IN ('k0', 'k1')");
        table.execute("UPDATE hexbus_outbox SET sent_at = now() - interval '10 minutes' WHERE ordering_key = 'k2'");
        table.execute("UPDATE hexbus_outbox SET dead_at = now() - interval '2 hours', last_error = 'poison'"
                + " WHERE ordering_key = 'k3'");
        table.execute("UPDATE hexbus_outbox SET created_at = now() - interval '2 hours'"
                + " WHERE ordering_key IN ('k4', 'k5')");

        relay(inMemory, quick.withRetention(Duration.ofHours(1)).withCleanupInterval(Duration.ofHours(1)));

        await().atMost(PATIENCE).until(() -> table.count("true") == 4);
        assertEquals(0, table.count("ordering_key IN ('k0', 'k1')"), "the old sent rows are gone");
        assertEquals(1, table.count("ordering_key = 'k3' AND dead_at IS NOT NULL"), "a dead row stays");
        await().atMost(PATIENCE).until(() -> table.count("sent_at IS NOT NULL") == 3);
        assertEquals(List.of(events.get(4).eventId(), events.get(5).eventId()), ids(handled));
    }

    @Test
    void closeReturnsWithTheThreadGoneAndLeavesWhatWasNotForwarded() throws SQLException {
        OutboxRelay relay = relay(inMemory, quick.withPollInterval(Duration.ofHours(1)));
        await().atMost(PATIENCE).until(() -> threadNamed(quick.name()));

        relay.close();

        assertFalse(threadNamed(quick.name()), "the relay's thread ended");
        rows().insert(List.of(Tick.of("k", 1)), true);
        assertEquals(1, relay.status().waiting(), "a closed relay forwards nothing");
        relay.close(); // again: a no-op
    }

    @Test
    void aPassInFlightPastTheStopTimeoutIsInterruptedAndItsRowsStayWaiting() throws SQLException {
        EventBus target = mock(EventBus.class);
        CountDownLatch entered = new CountDownLatch(1);
        when(target.publishAll(anyList())).thenAnswer(call -> {
            entered.countDown();
            new CountDownLatch(1).await(); // a transport that never answers, until interrupted
            return List.of();
        });
        rows().insert(List.of(Tick.of("k", 1)), false);
        OutboxRelay relay = relay(target, quick.withStopTimeout(Duration.ofMillis(200)));
        await().atMost(PATIENCE).until(() -> entered.getCount() == 0);

        relay.close();

        assertFalse(threadNamed(quick.name()), "the relay's thread ended");
        assertEquals(1, table.count("sent_at IS NULL AND dead_at IS NULL"), "nothing lost: the row waits");
    }

    @Test
    void aFailingDatabaseShowsInTheStatusUntilTheRelayForwardsAgain() throws SQLException {
        OutboxRelay relay = relay(inMemory, quick);
        table.execute("ALTER TABLE hexbus_outbox RENAME COLUMN envelope TO envelope_away");
        Tick event = Tick.of("k", 1);
        try {
            await().atMost(PATIENCE).until(() -> relay.status().failingSince().isPresent());
            OutboxStatus failing = relay.status();
            assertTrue(failing.lastError().orElseThrow().contains("envelope"), failing.toString());
            assertFalse(failing.healthy(Duration.ZERO, Duration.ofHours(1),
                    failing.failingSince().orElseThrow().plusMillis(1)), "failing longer than allowed");
        } finally {
            table.execute("ALTER TABLE hexbus_outbox RENAME COLUMN envelope_away TO envelope");
        }
        rows().insert(List.of(event), true);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        await().atMost(PATIENCE).until(() -> relay.status().failingSince().isEmpty());
        assertEquals(List.of(event.eventId()), ids(handled));
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
