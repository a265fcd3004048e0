package io.hexbus.scheduling;

import io.hexbus.api.testing.MutableClock;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.scheduling.TickIds;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several application instances on one real Redis, each with its own transport (its own connections) and its own
 * scheduler, all registering the same schedule: each tick is handled once.
 */
class SchedulerOnRedisTest {

    private static final String SCHEDULE = "reports.every-300ms";
    private static final SchedulerSettings FAST = SchedulerSettings.defaults().withIdleWake(Duration.ofMillis(20));

    private final RedisQueueSettings settings = RedisTestTransport.testSettings();
    private final Map<UUID, Integer> handled = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> handledTicks = new ConcurrentHashMap<>();
    private final List<RecordingBus.Call> calls = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One instance: a processor counting what its worker handles, a transport, a worker. */
    private RedisTransport instance() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(ReportDue.class, "count-reports", event -> {
            handled.merge(event.eventId(), 1, Integer::sum);
            handledTicks.put(event.eventId(), event.occurredAt());
        });
        RedisTransport transport;
        if (toClose.isEmpty()) {
            // The first instance is the fixture's: closed last, it deletes every key under the test's prefix.
            RedisTestTransport fixture = RedisTestTransport.connect(TestRedis.shared(), settings, processor);
            toClose.add(fixture);
            transport = fixture.transport();
        } else {
            transport = RedisTransport.connect(TestRedis.shared(), settings, processor);
            toClose.add(transport);
        }
        transport.startWorker();
        return transport;
    }

    private Scheduler scheduler(String instance, RedisTransport transport, Clock clock) {
        Scheduler scheduler = new Scheduler(new RecordingBus(instance, transport.eventBus(), calls), clock, FAST);
        toClose.add(scheduler);
        return scheduler;
    }

    @AfterEach
    void closeAll() throws Exception {
        // Schedulers before transports, the fixture's transport (first) last.
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void threeInstancesPublishEachTickOnce() throws Exception {
        List<Scheduler> schedulers = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Scheduler scheduler = scheduler(name, instance(), Clock.systemUTC());
            scheduler.register(SCHEDULE, Schedule.fixedRate(Duration.ofMillis(300)), ReportDue::of);
            schedulers.add(scheduler);
        }
        schedulers.forEach(Scheduler::start);

        await().atMost(Duration.ofSeconds(30)).until(() -> ticksSeenByAll().size() >= 5);
        for (Scheduler scheduler : schedulers) {
            scheduler.close();
        }

        Map<UUID, List<RecordingBus.Call>> byTick = calls.stream()
                .collect(Collectors.groupingBy(RecordingBus.Call::eventId));
        for (List<RecordingBus.Call> tickCalls : byTick.values()) {
            long published = tickCalls.stream().filter(c -> c.outcome() == PublishOutcome.PUBLISHED).count();
            assertEquals(1, published, "one instance published tick " + tickCalls);
            assertEquals(tickCalls.size() - 1,
                    tickCalls.stream().filter(c -> c.outcome() == PublishOutcome.DUPLICATE).count());
            assertEquals(tickCalls.size(), tickCalls.stream().map(RecordingBus.Call::instance).distinct().count());
        }
        assertTrue(ticksSeenByAll().size() >= 5);

        Set<UUID> publishedIds = byTick.keySet();
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.keySet().containsAll(publishedIds));
        ((RedisTestTransport) toClose.get(0)).awaitIdle(Duration.ofSeconds(30));
        assertEquals(publishedIds, handled.keySet());
        handled.forEach((id, count) -> assertEquals(1, count, "event " + id + " handled once"));
        handledTicks.forEach((id, tick) -> assertEquals(TickIds.of(SCHEDULE, tick), id, "the id derived from " + tick));
    }

    private Set<UUID> ticksSeenByAll() {
        return calls.stream().collect(Collectors.groupingBy(RecordingBus.Call::eventId, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() == 3).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Test
    void fireOnceAtRestartPublishesTheMissedTickOnce() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        UUID missed = TickIds.of("reports.hourly", Instant.parse("2026-12-04T10:00:00Z"));
        RedisTransport transport = instance();

        Scheduler first = scheduler("first", transport, clock);
        first.register("reports.hourly", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.FIRE_ONCE,
                ReportDue::of);
        first.start();
        ScheduleStatus.LastTick firstTick = awaitLastTick(first);
        assertEquals(missed, firstTick.eventId());
        assertEquals(PublishOutcome.PUBLISHED, firstTick.outcome());
        first.close();

        Scheduler second = scheduler("second", transport, clock);
        second.register("reports.hourly", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.FIRE_ONCE,
                ReportDue::of);
        second.start();
        ScheduleStatus.LastTick secondTick = awaitLastTick(second);
        assertEquals(missed, secondTick.eventId());
        assertEquals(PublishOutcome.DUPLICATE, secondTick.outcome());

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(missed));
        ((RedisTestTransport) toClose.get(0)).awaitIdle(Duration.ofSeconds(30));
        assertEquals(Map.of(missed, 1), handled);
    }

    @Test
    void skipAtRestartPublishesNothingUntilTheNextTick() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T11:00:30Z"));
        RedisTransport transport = instance();
        Scheduler scheduler = scheduler("skipping", transport, clock);
        scheduler.register("reports.hourly", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.SKIP,
                ReportDue::of);
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.schedules().get(0).nextRun()
                .equals(Instant.parse("2026-12-04T12:00:00Z")));

        clock.set(Instant.parse("2026-12-04T12:00:00.100Z"));
        ScheduleStatus.LastTick tick = awaitLastTick(scheduler);
        UUID noon = TickIds.of("reports.hourly", Instant.parse("2026-12-04T12:00:00Z"));
        assertEquals(noon, tick.eventId());
        assertEquals(PublishOutcome.PUBLISHED, tick.outcome());
        // One thread fires a schedule's ticks in order: had the missed 11:00 tick fired, it would be first.
        assertEquals(List.of(noon), calls.stream().map(RecordingBus.Call::eventId).toList());
        assertFalse(calls.stream().anyMatch(c ->
                c.eventId().equals(TickIds.of("reports.hourly", Instant.parse("2026-12-04T11:00:00Z")))));
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(noon));
        assertEquals(Map.of(noon, 1), handled);
    }

    private static ScheduleStatus.LastTick awaitLastTick(Scheduler scheduler) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> scheduler.schedules().get(0).lastTick(), java.util.Optional::isPresent).orElseThrow();
    }
}
