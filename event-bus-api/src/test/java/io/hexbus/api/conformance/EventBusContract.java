package io.hexbus.api.conformance;

import io.hexbus.api.conformance.ContractEvents.Address;
import io.hexbus.api.conformance.ContractEvents.ManifestLine;
import io.hexbus.api.conformance.ContractEvents.ParcelDelivered;
import io.hexbus.api.conformance.ContractEvents.ParcelManifested;
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
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.Registration;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.publishing.DelayedDeliveryUnsupportedException;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every hexbus transport must show, after Watermill's universal pub/sub tests. A transport's
 * test extends this class and supplies only {@link #start(DomainEventsProcessor)} and
 * {@link #capabilities()}; tests that need a capability are skipped, with the reason, where it is not
 * declared. {@code start} returns a {@link TransportUnderTest}: the bus, a way to wait until the transport is
 * idle, and {@code close}. Besides dispatching through the processor, the transport reports to
 * {@link DomainEventsProcessor#observer()}: every publish (duplicates marked) and every handler run, as
 * {@link io.hexbus.api.handling.DeliveryObserver} describes.
 *
 * <p>Each test gets a fresh registry, processor and transport, so transports may run tests in parallel if
 * their {@code start} isolates them (a queue uses a unique key prefix per test).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class EventBusContract {

    /** What a transport owes the processor's observer; the failure message of the test that checks it. */
    private static final String OBSERVER_CONTRACT = "a transport reports to processor.observer() (the"
            + " DeliveryObserver): published(name, id, duplicate) for every publish, duplicates included, and"
            + " handled(subscription, name, nanos, failure) after every handler run";

    /** The size limit of an encoded event that every transport applies unless configured otherwise: 1 MiB. */
    protected static final int DEFAULT_SIZE_LIMIT = 1 << 20;

    /** How long asynchronous deliveries may take before a test fails. */
    protected static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    /** The event types of the suite, registered before the transport starts. */
    protected EventTypeRegistry eventTypes;
    /** The processor the transport dispatches through. */
    protected DomainEventsProcessor processor;
    /** What the handlers of the running test received. */
    protected Deliveries deliveries;
    /** The bus under test. */
    protected EventBus bus;
    private TransportUnderTest transport;

    /**
     * Starts the transport for one test.
     *
     * @param processor the processor its consumers dispatch through; handlers are registered on it
     *                  before and after this call
     * @return the running transport
     * @throws Exception if it cannot start
     */
    protected abstract TransportUnderTest start(DomainEventsProcessor processor) throws Exception;

    /**
     * @return what the transport claims beyond the common contract
     */
    protected abstract Set<TransportCapability> capabilities();

    @BeforeEach
    void startTransport() throws Exception {
        eventTypes = new EventTypeRegistry().register(ParcelShipped.class).register(ParcelDelivered.class)
                .register(ParcelManifested.class).register(ParcelSealed.class).register(ParcelScanned.class);
        processor = new DomainEventsProcessor(eventTypes);
        deliveries = new Deliveries();
        transport = start(processor);
        bus = transport.bus();
    }

    @AfterEach
    void stopTransport() throws Exception {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    @DisplayName("payload and metadata arrive intact")
    void payloadAndMetadataArriveIntact() {
        processor.register(ParcelShipped.class, "intact", deliveries.recorder("intact"));
        ParcelShipped sent = new ParcelShipped(EventIds.newId(), Instant.parse("2026-03-01T10:15:30.123Z"),
                new EventMetadata("corr-1", "cause-1", "tenant-1", "user-1"), "parcel-7", 7,
                new java.math.BigDecimal("12.500"), new ContractEvents.Address("2 Rue X", "Paris", "FR"),
                List.of("a", "b", "c"), java.util.Map.of("k1", "v1", "k2", "v2"), "leave at door");

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(sent));

        awaitDelivered(() -> assertEquals(List.of(sent), deliveries.to("intact")));
    }

    @Test
    @DisplayName("an event reaches only the subscriptions of its name")
    void routesEachEventOnlyToItsNamesSubscriptions() {
        processor.register(ParcelShipped.class, "on-shipped", deliveries.recorder("on-shipped"));
        processor.register(ParcelDelivered.class, "on-delivered", deliveries.recorder("on-delivered"));
        ParcelShipped shipped = ContractEvents.shipped(1);
        ParcelDelivered delivered = ContractEvents.delivered("parcel-1");

        bus.publish(shipped);
        bus.publish(delivered);

        awaitDelivered(() -> {
            assertEquals(List.of(shipped.eventId()), deliveries.idsTo("on-shipped"));
            assertEquals(List.of(delivered.eventId()), deliveries.idsTo("on-delivered"));
        });
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(2, deliveries.all().size(), () -> "unexpected deliveries: " + deliveries.all());
    }

    @Test
    @DisplayName("every subscription of a name receives the event once")
    void deliversToEverySubscriptionOfTheName() {
        List<String> names = List.of("first", "second", "third");
        names.forEach(name -> processor.register(ParcelShipped.class, name, deliveries.recorder(name)));
        ParcelShipped event = ContractEvents.shipped(1);

        bus.publish(event);

        awaitDelivered(() -> names.forEach(name -> assertEquals(List.of(event.eventId()), deliveries.idsTo(name))));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(3, deliveries.all().size(), () -> "unexpected deliveries: " + deliveries.all());
    }

    @Test
    @DisplayName("a failing subscription does not keep the others from the event")
    void aFailingSubscriptionDoesNotStopTheOthers() {
        NonRetryableException failure = new NonRetryableException("rejected on purpose");
        processor.register(ParcelShipped.class, "failing", deliveries.failing("failing", failure));
        processor.register(ParcelShipped.class, "healthy", deliveries.recorder("healthy"));
        ParcelShipped event = ContractEvents.shipped(1);

        if (capabilities().contains(TransportCapability.SYNCHRONOUS)) {
            EventHandlingException thrown = assertThrows(EventHandlingException.class, () -> bus.publish(event));
            assertEquals(List.of(new SubscriptionFailure("failing", "contract.parcel-shipped", event.eventId(),
                    failure)), thrown.failures());
        } else {
            assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));
        }

        awaitDelivered(() -> assertEquals(List.of(event.eventId()), deliveries.idsTo("healthy")));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(event.eventId()), deliveries.idsTo("failing"), "a non-retryable failure runs once");
        assertEquals(List.of(event.eventId()), deliveries.idsTo("healthy"));
    }

    @Test
    @DisplayName("publish throws every handler failure at once, after all handlers ran")
    void publishThrowsEveryHandlerFailureAfterAllHandlersRan() {
        assumeCapability(TransportCapability.SYNCHRONOUS);
        IllegalStateException first = new IllegalStateException("first broke");
        NonRetryableException second = new NonRetryableException("second broke");
        processor.register(ParcelShipped.class, "breaks-first", deliveries.failing("breaks-first", first));
        processor.register(ParcelShipped.class, "between", deliveries.recorder("between"));
        processor.register(ParcelShipped.class, "breaks-second", deliveries.failing("breaks-second", second));

        EventHandlingException thrown = assertThrows(EventHandlingException.class,
                () -> bus.publish(ContractEvents.shipped(1)));

        assertSame(first, thrown.getCause());
        assertEquals(List.of(second), List.of(thrown.getSuppressed()));
        assertEquals(List.of("breaks-first", "breaks-second"),
                thrown.failures().stream().map(SubscriptionFailure::subscription).toList());
        assertTrue(thrown.getMessage().contains("breaks-first") && thrown.getMessage().contains("breaks-second"),
                thrown.getMessage());
        assertEquals(List.of("breaks-first", "between", "breaks-second"),
                deliveries.all().stream().map(Deliveries.Delivery::subscription).toList());
    }

    @Test
    @DisplayName("an id published twice is delivered once, and reported as a duplicate where the transport can")
    void sameIdPublishedTwiceIsHandledOncePerSubscription() {
        processor.register(ParcelShipped.class, "one", deliveries.recorder("one"));
        processor.register(ParcelShipped.class, "two", deliveries.recorder("two"));
        ParcelShipped event = ContractEvents.shipped(1);
        ParcelShipped sameIdOtherPayload = new ParcelShipped(event.eventId(), event.occurredAt(), event.metadata(),
                "another-parcel", 2, event.weightKg(), event.destination(), event.items(), event.labels(), null);

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));
        assertEquals(duplicateOutcome(), bus.publish(event));
        assertEquals(duplicateOutcome(), bus.publish(sameIdOtherPayload));

        awaitDelivered(() -> assertEquals(List.of(event), deliveries.to("one")));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(event), deliveries.to("one"));
        assertEquals(List.of(event), deliveries.to("two"));
    }

    @Test
    @DisplayName("publishAll delivers every event of the batch")
    void publishAllDeliversEveryEvent() {
        processor.register(ParcelShipped.class, "batch", deliveries.recorder("batch"));
        List<ParcelShipped> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(ContractEvents.shipped(i));
        }

        assertEquals(List.of(PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED,
                PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED), bus.publishAll(batch));

        List<UUID> ids = batch.stream().map(DomainEvent::eventId).toList();
        awaitDelivered(() -> assertEquals(Set.copyOf(ids), Set.copyOf(deliveries.idsTo("batch"))));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(5, deliveries.idsTo("batch").size());
        if (capabilities().contains(TransportCapability.SYNCHRONOUS)) {
            assertEquals(ids, deliveries.idsTo("batch"), "a synchronous bus dispatches in batch order");
        }
    }

    @Test
    @DisplayName("publishAll handles a duplicate once, within the batch and against earlier publishes, reporting it where it can")
    void publishAllReportsDuplicatesPerEvent() {
        processor.register(ParcelShipped.class, "dups", deliveries.recorder("dups"));
        ParcelShipped earlier = ContractEvents.shipped(1);
        ParcelShipped fresh = ContractEvents.shipped(2);
        bus.publish(earlier);

        assertEquals(List.of(duplicateOutcome(), PublishOutcome.PUBLISHED, duplicateOutcome()),
                bus.publishAll(List.of(earlier, fresh, fresh)));

        awaitDelivered(() -> assertEquals(Set.of(earlier.eventId(), fresh.eventId()),
                Set.copyOf(deliveries.idsTo("dups"))));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(2, deliveries.idsTo("dups").size());
    }

    @Test
    @DisplayName("Optionals, a decimal's scale, nanoseconds, nested records and lists of records arrive equal")
    void valuesThatAJsonFormCouldAlterArriveEqual() {
        processor.register(ParcelManifested.class, "manifest", deliveries.recorder("manifest"));
        ParcelManifested sent = new ParcelManifested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "parcel-9",
                Optional.of("HS-4901"), Optional.empty(), new BigDecimal("120.5000"),
                Instant.parse("2026-03-01T10:15:30.123456789Z"), new Address("3 Dock Rd", "Le Havre", "FR"),
                List.of(new ManifestLine("sku-1", 2, new BigDecimal("10.00")),
                        new ManifestLine("sku-2", 1, new BigDecimal("100.5000"))));

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(sent));

        awaitDelivered(() -> assertEquals(List.of(sent), deliveries.to("manifest")));
        ParcelManifested received = (ParcelManifested) deliveries.to("manifest").get(0);
        assertEquals(4, received.declaredValue().scale(), "120.5000 keeps its trailing zeros");
        assertEquals(123_456_789, received.scannedAt().getNano());
        assertEquals(Optional.empty(), received.giftMessage(), "an empty Optional arrives empty, not null");
    }

    @Test
    @DisplayName("an unregistered, oversized or unwritable event is refused with the same exception everywhere")
    void anUnregisteredOversizedOrUnwritableEventIsRefusedAlike() {
        processor.register(ParcelShipped.class, "never", deliveries.recorder("never"));
        processor.register(ParcelSealed.class, "never-sealed", deliveries.recorder("never-sealed"));
        UnregisteredEvent unregistered = new UnregisteredEvent(EventIds.newId(), Instant.now());
        ParcelShipped oversized = ContractEvents.shippedWithNote(1, "x".repeat(2 * DEFAULT_SIZE_LIMIT));
        ParcelSealed unwritable = new ParcelSealed(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "parcel-1",
                new Seal("S-1"));

        UnknownEventTypeException unknown = assertThrows(UnknownEventTypeException.class,
                () -> bus.publish(unregistered));
        EventTooLargeException tooLarge = assertThrows(EventTooLargeException.class, () -> bus.publish(oversized));
        EventNotEncodableException notEncodable = assertThrows(EventNotEncodableException.class,
                () -> bus.publish(unwritable));

        assertTrue(unknown.getMessage().contains(UnregisteredEvent.class.getName()), unknown.getMessage());
        assertTrue(tooLarge.getMessage().contains(oversized.eventId().toString()), tooLarge.getMessage());
        assertTrue(notEncodable.getMessage().contains(ParcelSealed.class.getName()), notEncodable.getMessage());
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(), deliveries.all());
    }

    @Test
    @DisplayName("an event whose ordering key is null, blank or too long is refused with the same exception everywhere")
    void anEventWithAnInvalidOrderingKeyIsRefusedAlike() {
        processor.register(ParcelScanned.class, "scans", deliveries.recorder("scans"));
        String longest = "p".repeat(DomainEvent.MAX_ORDERING_KEY_LENGTH);
        ParcelScanned valid = ContractEvents.scanned(longest, 1);

        for (String key : Arrays.asList(null, "", " \t", longest + "p")) {
            InvalidOrderingKeyException refused = assertThrows(InvalidOrderingKeyException.class,
                    () -> bus.publish(ContractEvents.scanned(key, 2)), "key " + key);
            assertTrue(refused.getMessage().contains(ParcelScanned.class.getName() + ".orderingKey()"),
                    refused.getMessage());
        }
        assertThrows(InvalidOrderingKeyException.class,
                () -> bus.publishAll(List.of(valid, ContractEvents.scanned(" ", 3))), "the whole batch is refused");

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(valid), "a key of the longest length is carried");
        awaitDelivered(() -> assertEquals(List.of(valid), deliveries.to("scans")));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(1, deliveries.all().size(), "nothing of the refused events was delivered");
    }

    @Test
    @DisplayName("an event just under the 1 MiB limit is carried intact")
    void anEventJustUnderTheDefaultSizeLimitIsCarried() {
        processor.register(ParcelShipped.class, "large", deliveries.recorder("large"));
        // The envelope around the note takes a few hundred bytes.
        ParcelShipped large = ContractEvents.shippedWithNote(1, "x".repeat(DEFAULT_SIZE_LIMIT - 4096));

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(large));

        awaitDelivered(() -> assertEquals(List.of(large), deliveries.to("large")));
    }

    @Test
    @DisplayName("publishAll with one refused event (unregistered, too large) publishes none of the batch")
    void publishAllIsAllOrNothing() {
        processor.register(ParcelShipped.class, "atomic", deliveries.recorder("atomic"));
        ParcelShipped first = ContractEvents.shipped(1);
        ParcelShipped last = ContractEvents.shipped(2);
        UnregisteredEvent unregistered = new UnregisteredEvent(EventIds.newId(), Instant.now());
        ParcelShipped oversized = ContractEvents.shippedWithNote(3, "x".repeat(2 * DEFAULT_SIZE_LIMIT));

        assertThrows(UnknownEventTypeException.class, () -> bus.publishAll(List.of(first, unregistered, last)));
        assertThrows(EventTooLargeException.class, () -> bus.publishAll(List.of(first, oversized, last)));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(), deliveries.all());

        ParcelShipped trimmed = new ParcelShipped(oversized.eventId(), oversized.occurredAt(), oversized.metadata(),
                oversized.parcelId(), oversized.sequence(), oversized.weightKg(), oversized.destination(),
                oversized.items(), oversized.labels(), "short note");
        assertEquals(List.of(PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED),
                bus.publishAll(List.of(first, trimmed, last)), "the refused batches left no trace of their ids");
        awaitDelivered(() -> assertEquals(Set.of(first.eventId(), trimmed.eventId(), last.eventId()),
                Set.copyOf(deliveries.idsTo("atomic"))));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(3, deliveries.idsTo("atomic").size());
    }

    @Test
    @DisplayName("a handler can publish a follow-up event, which is delivered too")
    void aHandlerCanPublishAFollowUpEvent() {
        processor.register(ParcelShipped.class, "deliver-it", (ParcelShipped shipped) ->
                bus.publish(new ParcelDelivered(EventIds.newId(), Instant.now(), EventMetadata.causedBy(shipped),
                        shipped.parcelId())));
        processor.register(ParcelDelivered.class, "on-delivered", deliveries.recorder("on-delivered"));
        ParcelShipped shipped = ContractEvents.shipped(3);

        bus.publish(shipped);

        awaitDelivered(() -> assertEquals(1, deliveries.to("on-delivered").size()));
        ParcelDelivered followUp = (ParcelDelivered) deliveries.to("on-delivered").get(0);
        assertEquals("parcel-3", followUp.parcelId());
        assertEquals(shipped.eventId().toString(), followUp.metadata().causationId());
        assertEquals(shipped.eventId().toString(), followUp.metadata().correlationId());
    }

    @Test
    @DisplayName("an event published by a handler is dispatched after the current event's handlers")
    void eventsPublishedByAHandlerWaitForTheCurrentEvent() {
        assumeCapability(TransportCapability.SYNCHRONOUS);
        processor.register(ParcelShipped.class, "publishes-then-records", (ParcelShipped shipped) -> {
            bus.publish(ContractEvents.delivered(shipped.parcelId()));
            deliveries.recorder("publishes-then-records").handle(shipped);
        });
        processor.register(ParcelShipped.class, "second-on-shipped", deliveries.recorder("second-on-shipped"));
        processor.register(ParcelDelivered.class, "on-delivered", deliveries.recorder("on-delivered"));

        bus.publish(ContractEvents.shipped(1));

        assertEquals(List.of("publishes-then-records", "second-on-shipped", "on-delivered"),
                deliveries.all().stream().map(Deliveries.Delivery::subscription).toList());
    }

    @Test
    @DisplayName("8 threads x 1,000 publishes: every event reaches every subscription exactly once")
    void concurrentPublishersLoseAndDoubleNothing() throws Exception {
        processor.register(ParcelShipped.class, "left", deliveries.recorder("left"));
        processor.register(ParcelShipped.class, "right", deliveries.recorder("right"));
        int threads = 8;
        int perThread = 1_000;
        Set<UUID> published = java.util.concurrent.ConcurrentHashMap.newKeySet();

        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                ParcelShipped event = ContractEvents.shipped(thread * perThread + i);
                assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));
                published.add(event.eventId());
            }
            return null;
        });

        assertEquals(threads * perThread, published.size());
        awaitDelivered(() -> {
            assertEquals(published.size(), deliveries.idsTo("left").size());
            assertEquals(published.size(), deliveries.idsTo("right").size());
        });
        transport.awaitIdle(DELIVERY_TIMEOUT);
        for (String subscription : List.of("left", "right")) {
            List<UUID> received = deliveries.idsTo(subscription);
            assertEquals(published, new HashSet<>(received), subscription + " missed events");
            assertEquals(published.size(), received.size(), subscription + " received events twice");
        }
    }

    @Test
    @DisplayName("8 threads publishing one id: the event is delivered once, and one publish wins where reported")
    void concurrentPublishesOfOneIdDeliverItOnce() throws Exception {
        processor.register(ParcelShipped.class, "once", deliveries.recorder("once"));
        ParcelShipped event = ContractEvents.shipped(1);

        List<PublishOutcome> outcomes = runConcurrently(8, thread -> bus.publish(event));

        if (capabilities().contains(TransportCapability.REPORTS_DUPLICATES)) {
            assertEquals(1, outcomes.stream().filter(o -> o == PublishOutcome.PUBLISHED).count(), outcomes::toString);
        }
        awaitDelivered(() -> assertEquals(List.of(event.eventId()), deliveries.idsTo("once")));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(event.eventId()), deliveries.idsTo("once"));
    }

    @Test
    @DisplayName("a removed registration receives nothing more")
    void aRemovedRegistrationReceivesNothingMore() {
        Registration removable = processor.register(ParcelShipped.class, "removable", deliveries.recorder("removable"));
        processor.register(ParcelShipped.class, "stays", deliveries.recorder("stays"));
        ParcelShipped before = ContractEvents.shipped(1);
        ParcelShipped after = ContractEvents.shipped(2);
        bus.publish(before);
        awaitDelivered(() -> assertEquals(List.of(before.eventId()), deliveries.idsTo("removable")));

        assertTrue(removable.remove());
        bus.publish(after);

        awaitDelivered(() -> assertEquals(Set.of(before.eventId(), after.eventId()),
                Set.copyOf(deliveries.idsTo("stays"))));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(before.eventId()), deliveries.idsTo("removable"));
        assertFalse(removable.remove(), "removing twice is a no-op");
    }

    @Test
    @DisplayName("a subscription registered while the bus runs receives the events published after it")
    void aSubscriptionRegisteredLaterReceivesLaterEvents() {
        ParcelShipped unheard = ContractEvents.shipped(1);
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(unheard), "an event nobody handles is still published");
        transport.awaitIdle(DELIVERY_TIMEOUT);

        processor.register(ParcelShipped.class, "late", deliveries.recorder("late"));
        ParcelShipped heard = ContractEvents.shipped(2);
        bus.publish(heard);

        awaitDelivered(() -> assertEquals(List.of(heard.eventId()), deliveries.idsTo("late")));
    }

    @Test
    @DisplayName("an observer sees every publish, duplicates marked, and every handler run with its outcome")
    void anObserverSeesPublishesAndHandlerRuns() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        processor.addObserver(new io.hexbus.api.handling.DeliveryObserver() {
            @Override
            public void published(String eventName, UUID eventId, boolean duplicate) {
                seen.add("published " + eventName + (duplicate ? " duplicate" : ""));
            }

            @Override
            public void handled(String subscription, String eventName, long nanos, Throwable failure) {
                seen.add("handled " + subscription + (failure == null ? " ok" : " failed: " + failure.getMessage())
                        + (nanos >= 0 ? "" : " negative time"));
            }
        });
        processor.register(ParcelShipped.class, "fine", deliveries.recorder("fine"));
        processor.register(ParcelShipped.class, "broken", deliveries.failing("broken",
                new NonRetryableException("no")));
        ParcelShipped event = ContractEvents.shipped(1);

        publishTolerantly(event);
        publishTolerantly(event);

        awaitDelivered(() -> assertEquals(4, seen.size(), () -> OBSERVER_CONTRACT + "; it was told " + seen));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        // A transport that cannot tell a duplicate at publish (Kafka) reports it as published; its workers drop it.
        Set<String> published = capabilities().contains(TransportCapability.REPORTS_DUPLICATES)
                ? Set.of("published contract.parcel-shipped", "published contract.parcel-shipped duplicate")
                : Set.of("published contract.parcel-shipped");
        Set<String> expected = new java.util.HashSet<>(published);
        expected.addAll(Set.of("handled fine ok", "handled broken failed: no"));
        assertEquals(expected, Set.copyOf(seen), OBSERVER_CONTRACT);
        assertEquals(4, seen.size(), () -> OBSERVER_CONTRACT + "; it was told " + seen);
    }

    /** Publishes, ignoring the handler failures a synchronous transport throws. */
    private void publishTolerantly(DomainEvent event) {
        try {
            bus.publish(event);
        } catch (EventHandlingException expected) {
            // a handler failed on purpose
        }
    }

    /**
     * Waits until an assertion about deliveries holds, failing with its last error after
     * {@link #DELIVERY_TIMEOUT}. Returns at once on a synchronous transport where it already holds.
     *
     * @param assertion the assertion
     */
    protected void awaitDelivered(Runnable assertion) {
        await().atMost(DELIVERY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .untilAsserted(assertion::run);
    }

    /**
     * Skips the running test unless the transport declares a capability.
     *
     * @param capability what the test needs
     */
    protected void assumeCapability(TransportCapability capability) {
        assumeTrue(capabilities().contains(capability), () -> "the transport does not declare " + capability);
    }

    /** Work that one of several concurrent threads does. */
    @FunctionalInterface
    protected interface ThreadWork<T> {
        /**
         * @param thread the thread's number, from 0
         * @return its result
         * @throws Exception to fail the test
         */
        T run(int thread) throws Exception;
    }

    /**
     * Runs work on several threads released at once, and returns their results.
     *
     * @param threads how many threads
     * @param work    what each runs
     * @param <T>     the result type
     * @return the results, one per thread
     * @throws Exception what a thread threw
     */
    protected static <T> List<T> runConcurrently(int threads, ThreadWork<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<T> task = () -> {
                    start.await();
                    return work.run(thread);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What {@code publish} answers for an id published before: {@code DUPLICATE} where the transport can tell. */
    private PublishOutcome duplicateOutcome() {
        return capabilities().contains(TransportCapability.REPORTS_DUPLICATES) ? PublishOutcome.DUPLICATE
                : PublishOutcome.PUBLISHED;
    }

    // --- Delayed events (issue 19, item 1): DELAYED_DELIVERY ---

    @Test
    @DisplayName("a delayed event is delivered after its delay, not by publish, and its id is still a duplicate")
    void aDelayedEventIsDeliveredAfterItsDelayAndItsIdIsStillADuplicate() {
        assumeCapability(TransportCapability.DELAYED_DELIVERY);
        Duration delay = Duration.ofSeconds(1);
        processor.register(ParcelShipped.class, "later", deliveries.recorder("later"));
        ParcelShipped event = ContractEvents.shipped(1);
        long publishedNanos = System.nanoTime();

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event, PublishOptions.deliverAfter(delay)));
        assertEquals(List.of(), deliveries.idsTo("later"), "not delivered by publish");
        assertEquals(duplicateOutcome(), bus.publish(event, PublishOptions.deliverAfter(delay)));
        assertEquals(duplicateOutcome(), bus.publish(event));

        awaitDelivered(() -> assertEquals(List.of(event.eventId()), deliveries.idsTo("later")));
        Duration waited = Duration.ofNanos(System.nanoTime() - publishedNanos);
        assertTrue(waited.compareTo(delay) >= 0, "delivered " + waited + " after publish");
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(event.eventId()), deliveries.idsTo("later"), "delivered once");
    }

    @Test
    @DisplayName("a delayed publish is refused as an immediate one is: an unregistered type first")
    void aDelayedPublishMeetsTheRefusalsOfAnImmediateOne() {
        UnregisteredEvent unregistered = new UnregisteredEvent(EventIds.newId(), Instant.now());

        assertThrows(UnknownEventTypeException.class,
                () -> bus.publish(unregistered, PublishOptions.deliverAfter(Duration.ofSeconds(1))));
    }

    @Test
    @DisplayName("an instant already past delivers now; options that delay nothing are an ordinary publish")
    void optionsThatDelayNothingPublishNow() {
        processor.register(ParcelShipped.class, "now", deliveries.recorder("now"));
        List<ParcelShipped> events = List.of(ContractEvents.shipped(1), ContractEvents.shipped(2),
                ContractEvents.shipped(3));

        bus.publish(events.get(0), PublishOptions.NOW);
        bus.publish(events.get(1), PublishOptions.deliverAfter(Duration.ZERO));
        bus.publish(events.get(2), PublishOptions.deliverAt(Instant.now().minusSeconds(60)));

        awaitDelivered(() -> assertEquals(Set.of(events.get(0).eventId(), events.get(1).eventId(),
                events.get(2).eventId()), Set.copyOf(deliveries.idsTo("now"))));
    }

    @Test
    @DisplayName("a transport that cannot delay refuses a delayed publish, naming itself, and delivers nothing")
    void aTransportThatCannotDelayRefusesADelayedPublish() {
        assumeTrue(!capabilities().contains(TransportCapability.DELAYED_DELIVERY),
                "the transport declares DELAYED_DELIVERY");
        processor.register(ParcelShipped.class, "parcels", deliveries.recorder("parcels"));
        ParcelShipped refused = ContractEvents.shipped(1);

        DelayedDeliveryUnsupportedException e = assertThrows(DelayedDeliveryUnsupportedException.class,
                () -> bus.publish(refused, PublishOptions.deliverAt(Instant.now().plusSeconds(60))));

        assertTrue(e.getMessage().contains(bus.getClass().getName()), e.getMessage());
        ParcelShipped next = ContractEvents.shipped(2);
        bus.publish(next);
        awaitDelivered(() -> assertEquals(List.of(next.eventId()), deliveries.idsTo("parcels")));
        transport.awaitIdle(DELIVERY_TIMEOUT);
        assertEquals(List.of(next.eventId()), deliveries.idsTo("parcels"), "the refused event was not delivered");
    }
}
