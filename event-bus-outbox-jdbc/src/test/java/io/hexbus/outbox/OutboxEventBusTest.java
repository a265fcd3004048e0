package io.hexbus.outbox;

import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelScanned;
import io.hexbus.api.conformance.ContractEvents.ParcelSealed;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.ContractEvents.Seal;
import io.hexbus.api.conformance.ContractEvents.UnregisteredEvent;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.DelayedDeliveryUnsupportedException;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.hexbus.api.publishing.PublishOutcome.DUPLICATE;
import static io.hexbus.api.publishing.PublishOutcome.PUBLISHED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxEventBusTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    // Small, so that a too-large event is cheap to make; the same limit for the outbox and the in-memory bus.
    private static final int MAX_BYTES = 2048;

    private static final String RUN = UUID.randomUUID().toString();

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static DataSource dataSource;
    private static EventCodec codec;
    private static JdbcUnitOfWork units;
    private static OutboxEventBus bus;

    /** A row of the outbox, as the relay reads it. */
    record Row(long seq, String name, String orderingKey, String envelope) {
    }

    @BeforeAll
    static void database() {
        dataSource = postgres.dataSource();
        OutboxSchema.migrate(dataSource);
        EventTypeRegistry eventTypes = new EventTypeRegistry().register(ParcelShipped.class)
                .register(ParcelScanned.class).register(ParcelSealed.class);
        codec = EventCodec.builder(eventTypes).maxBytes(MAX_BYTES).build();
        units = new JdbcUnitOfWork(dataSource);
        bus = new OutboxEventBus(units, codec, Clock.systemUTC());
    }

    @AfterAll
    static void drop() {
        bus.close();
    }

    @Test
    void eventsAreRowsOfTheUnitOnlyOnceItCommits() {
        ParcelShipped shipped = ContractEvents.shipped(1);
        ParcelScanned scanned = ContractEvents.scanned("parcel-commit", 1);

        List<?> outcomes = units.call(() -> {
            List<?> published = bus.publishAll(List.of(shipped, scanned));
            assertEquals(Optional.empty(), row(shipped), "not visible before the commit");
            return published;
        });

        assertEquals(List.of(PUBLISHED, PUBLISHED), outcomes);
        Row shippedRow = row(shipped).orElseThrow();
        Row scannedRow = row(scanned).orElseThrow();
        assertEquals("contract.parcel-shipped", shippedRow.name());
        assertEquals(shipped.eventId().toString(), shippedRow.orderingKey(), "the default key, its id");
        assertEquals("parcel-commit", scannedRow.orderingKey());
        assertEquals(shipped, codec.decode(shippedRow.envelope()), "the envelope is the codec's");
        assertTrue(shippedRow.seq() < scannedRow.seq(), "a batch is inserted in its order");
    }

    @Test
    void aDelayedPublishIsRefusedAfterTheChecksOfAnyPublishAndWritesNoRow() {
        ParcelShipped shipped = ContractEvents.shipped(8);
        UnregisteredEvent unregistered = new UnregisteredEvent(EventIds.newId(), Instant.now());
        PublishOptions later = PublishOptions.deliverAfter(java.time.Duration.ofMinutes(5));

        DelayedDeliveryUnsupportedException refused = assertThrows(DelayedDeliveryUnsupportedException.class,
                () -> units.run(() -> bus.publish(shipped, later)));
        assertThrows(UnknownEventTypeException.class, () -> units.run(() -> bus.publish(unregistered, later)));

        assertTrue(refused.getMessage().startsWith(OutboxEventBus.class.getName()), refused.getMessage());
        assertEquals(Optional.empty(), row(shipped));
        assertEquals(List.of(PUBLISHED), units.call(() -> bus.publishAll(List.of(shipped), PublishOptions.NOW)));
    }

    @Test
    void aUnitThatRollsBackLeavesNoRow() {
        ParcelShipped shipped = ContractEvents.shipped(2);

        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            bus.publish(shipped);
            throw new IllegalStateException("the use case fails after publishing");
        }));

        assertEquals(Optional.empty(), row(shipped));
    }

    @Test
    void aRepeatedIdIsADuplicateInOneBatchAndAcrossUnits() {
        ParcelShipped shipped = ContractEvents.shipped(3);
        ParcelShipped other = ContractEvents.shipped(4);

        assertEquals(List.of(PUBLISHED, DUPLICATE, PUBLISHED),
                units.call(() -> bus.publishAll(List.of(shipped, shipped, other))));
        assertEquals(List.of(DUPLICATE, DUPLICATE), units.call(() -> bus.publishAll(List.of(other, shipped))));

        assertEquals(2, count("event_id IN ('" + shipped.eventId() + "', '" + other.eventId() + "')"),
                "one row per id");
    }

    static Stream<Arguments> refusedEvents() {
        ParcelSealed unwritable = new ParcelSealed(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "parcel-1",
                new Seal("S-1"));
        return Stream.of(
                Arguments.of(new UnregisteredEvent(EventIds.newId(), Instant.now()), UnknownEventTypeException.class),
                Arguments.of(ContractEvents.shippedWithNote(5, "x".repeat(2 * MAX_BYTES)),
                        EventTooLargeException.class),
                Arguments.of(unwritable, EventNotEncodableException.class),
                Arguments.of(ContractEvents.scanned(" ", 1), InvalidOrderingKeyException.class));
    }

    @ParameterizedTest
    @MethodSource("refusedEvents")
    void aRefusedEventRefusesTheWholeBatchAsTheInMemoryBusDoes(DomainEvent refused,
                                                                Class<? extends RuntimeException> expected) {
        EventBus inMemory = new InMemoryEventBus(new DomainEventsProcessor(codec.eventTypes()),
                InMemoryEventBusSettings.DEFAULT, Clock.systemUTC(), codec);
        ParcelShipped valid = ContractEvents.shipped(6);
        List<DomainEvent> batch = List.of(valid, refused);
        assertThrows(expected, () -> inMemory.publishAll(batch), "the in-memory bus's refusal");

        units.run(() -> assertThrows(expected, () -> bus.publishAll(batch))); // the unit commits what was written

        assertEquals(Optional.empty(), row(valid), "nothing of the batch was written");
    }

    @Test
    void outsideAUnitNothingIsWrittenAndTheErrorSaysWhatToDo() {
        ParcelShipped shipped = ContractEvents.shipped(7);

        NoUnitOfWorkException e = assertThrows(NoUnitOfWorkException.class, () -> bus.publish(shipped));

        assertTrue(e.getMessage().contains("UnitOfWork.run"), e.getMessage());
        assertEquals(Optional.empty(), row(shipped));
        assertEquals(List.of(), bus.publishAll(List.of()), "an empty list is a no-op, even outside a unit");
    }

    @Test
    void aSecondUnitOfTheSameKeyWaitsForTheFirstToCommitSoSeqIsCommitOrder() throws Exception {
        ParcelScanned first = ContractEvents.scanned(ownKey("parcel-order"), 1);
        ParcelScanned second = ContractEvents.scanned(ownKey("parcel-order"), 2);
        ParcelScanned otherKey = ContractEvents.scanned(ownKey("parcel-other"), 1);
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        AtomicInteger secondPid = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> firstUnit = threads.submit(() -> units.run(() -> {
                bus.publish(first);
                firstWrote.countDown();
                awaitLatch(commitFirst);
            }));
            assertTrue(firstWrote.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            Future<?> secondUnit = threads.submit(() -> units.run(() -> {
                secondPid.set(backendPid(units.connection()));
                bus.publish(second);
            }));

            await().atMost(PATIENCE).until(() -> waitsForAnAdvisoryLock(secondPid.get()));
            threads.submit(() -> units.run(() -> bus.publish(otherKey))).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertFalse(secondUnit.isDone(), "the second unit waits while the first is open");
            assertEquals(Optional.empty(), row(second));
            commitFirst.countDown();
            firstUnit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            secondUnit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }

        assertTrue(row(first).orElseThrow().seq() < row(second).orElseThrow().seq());
        assertTrue(row(otherKey).isPresent(), "another key did not wait");
    }

    @Test
    void aKeyLockedPastTheLockTimeoutIsATransportTimeoutAndTheUnitRollsBack() throws Exception {
        ParcelScanned holder = ContractEvents.scanned(ownKey("parcel-timeout"), 1);
        ParcelScanned late = ContractEvents.scanned(ownKey("parcel-timeout"), 2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> holding = thread.submit(() -> units.run(() -> {
                bus.publish(holder);
                held.countDown();
                awaitLatch(release);
            }));
            assertTrue(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));

            EventPublishingException e = assertThrows(EventPublishingException.class, () -> units.run(() -> {
                execute("SET LOCAL lock_timeout = '50ms'");
                bus.publish(late);
            }));

            assertInstanceOf(TransportTimeoutException.class, e.getCause(), e.toString());
            release.countDown();
            holding.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            release.countDown();
            thread.shutdownNow();
        }
        assertEquals(Optional.empty(), row(late));
    }

    @Test
    void onlyEventsOrderedByAKeyOfTheirOwnTakeALockOnePerKey() {
        units.run(() -> {
            bus.publishAll(List.of(ContractEvents.shipped(8), ContractEvents.shipped(9)));
            assertEquals(0, advisoryLocksHeld(), "events keyed by their id are ordered with nothing");

            bus.publishAll(List.of(ContractEvents.scanned("parcel-a", 1), ContractEvents.scanned("parcel-b", 1),
                    ContractEvents.scanned("parcel-a", 2)));
            assertEquals(2, advisoryLocksHeld());
        });
    }

    @Test
    void callsPastTheDriversPrepareThresholdOnOneConnectionKeepWriting() {
        // pgjdbc prepares a statement on the server from its fifth use on a connection: the pooled case.
        List<ParcelScanned> events = Stream.iterate(1, i -> i + 1).limit(12)
                .map(i -> ContractEvents.scanned("parcel-prepared-" + (i % 3), i)).toList();

        units.run(() -> {
            for (ParcelScanned event : events) {
                assertEquals(List.of(PUBLISHED, DUPLICATE), bus.publishAll(List.of(event, event)));
                assertEquals(PUBLISHED, bus.publish(ContractEvents.shipped(event.sequence())));
            }
        });

        assertEquals(12, count("ordering_key LIKE 'parcel-prepared-%'"));
    }

    @Test
    void theRelaysAreNotifiedAfterTheCommitAndNotBefore() throws SQLException {
        try (Connection listener = dataSource.getConnection(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN " + OutboxEventBus.NOTIFY_CHANNEL);
            PGConnection notifications = listener.unwrap(PGConnection.class);
            // On a shared DATABASE_URL other tests notify too: count only this bus's notifications.
            List<PGNotification> received = new ArrayList<>();

            units.run(() -> {
                bus.publish(ContractEvents.shipped(10));
                try {
                    listen.execute("SELECT 1"); // a round trip: the server hands over what is pending
                    received.addAll(ofThisBus(notifications.getNotifications()));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                assertEquals(List.of(), received, "nothing before the commit");
            });

            await().atMost(PATIENCE).until(() -> {
                received.addAll(ofThisBus(notifications.getNotifications(100)));
                return !received.isEmpty();
            });
            assertEquals(OutboxEventBus.NOTIFY_CHANNEL, received.get(0).getName());
        }
    }

    @Test
    void aFailedWriteIsAnEventPublishingExceptionAndTheUnitRollsBack() {
        ParcelShipped shipped = ContractEvents.shipped(11);

        EventPublishingException e = assertThrows(EventPublishingException.class, () -> units.run(() -> {
            execute("SET LOCAL search_path TO pg_catalog"); // where no outbox table is
            bus.publish(shipped);
        }));

        assertInstanceOf(SQLException.class, e.getCause());
        assertEquals("42P01", ((SQLException) e.getCause()).getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("hexbus_outbox"), e.getMessage());
        assertEquals(Optional.empty(), row(shipped));
    }

    // Advisory locks are per database: on a shared DATABASE_URL, keys of this run's own.
    private static String ownKey(String key) {
        return key + "-" + RUN;
    }

    private List<PGNotification> ofThisBus(PGNotification[] notifications) {
        return notifications == null ? List.of()
                : Arrays.stream(notifications).filter(n -> n.getParameter().equals(bus.notificationPayload())).toList();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the test let the unit go");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int backendPid(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitsForAnAdvisoryLock(int pid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = 'advisory' AND NOT granted")) {
            s.setInt(1, pid);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) == 1;
            }
        }
    }

    private static int advisoryLocksHeld() {
        try (Statement s = units.connection().createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND granted")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) {
        try (Statement s = units.connection().createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Row> row(DomainEvent event) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT seq, event_name, ordering_key, envelope FROM hexbus_outbox WHERE event_id = ?")) {
            s.setObject(1, event.eventId());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String where) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM hexbus_outbox WHERE " + where)) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
