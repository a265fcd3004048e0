package io.hexbus.scheduling;

import io.hexbus.api.testing.MutableClock;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.scheduling.DuplicateScheduleException;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleRegistration;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.scheduling.TickIds;
import io.hexbus.inmemory.InMemoryEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler on the in-memory bus: real threads, handlers counted. */
class SchedulerTest {

    private static final SchedulerSettings FAST = SchedulerSettings.defaults()
            .withIdleWake(Duration.ofMillis(20)).withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40));

    private final List<ReportDue> handled = new CopyOnWriteArrayList<>();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final RecordingBus bus;
    private Scheduler scheduler;

    SchedulerTest() {
        processor.register(ReportDue.class, "count-reports", handled::add);
        bus = new RecordingBus(new InMemoryEventBus(processor));
    }

    private Scheduler start(Clock clock) {
        scheduler = new Scheduler(bus, clock, FAST);
        return scheduler;
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void publishesEachTickOnceWithTheIdItDerives() {
        Scheduler scheduler = start(Clock.systemUTC());
        scheduler.register("reports", Schedule.fixedRate(Duration.ofMillis(100)), MissedTicks.SKIP, ReportDue::of);
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() >= 5);
        scheduler.close();

        Set<Instant> ticks = new HashSet<>();
        for (ReportDue event : handled) {
            assertEquals(TickIds.of("reports", event.occurredAt()), event.eventId());
            assertEquals(0, event.occurredAt().toEpochMilli() % 100, "a tick on the epoch-anchored grid");
            assertTrue(ticks.add(event.occurredAt()), "tick " + event.occurredAt() + " handled once");
        }
        ScheduleStatus status = scheduler.schedules().get(0);
        assertEquals(PublishOutcome.PUBLISHED, status.lastTick().orElseThrow().outcome());
        assertEquals(0, status.ticksMissed());
    }

    @Test
    void listsSchedulesWithTheirNextRun() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        Scheduler scheduler = start(clock);
        scheduler.register("reminders", Schedule.cron("0 0 9 * * *", ZoneId.of("Europe/Paris")), ReportDue::of);
        scheduler.register("hourly", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.SKIP, ReportDue::of);

        List<ScheduleStatus> listed = scheduler.schedules();
        assertEquals(List.of("hourly", "reminders"), listed.stream().map(ScheduleStatus::name).toList());
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), listed.get(0).nextRun());
        assertEquals(Instant.parse("2026-12-05T08:00:00Z"), listed.get(1).nextRun());
        assertEquals(ZoneId.of("Europe/Paris"), listed.get(1).schedule().zone());
        assertTrue(listed.get(1).lastTick().isEmpty());
    }

    @Test
    void refusesADuplicateNameAndABadExpression() {
        Scheduler scheduler = start(Clock.systemUTC());
        scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(1)), ReportDue::of);
        DuplicateScheduleException duplicate = assertThrows(DuplicateScheduleException.class,
                () -> scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(2)), ReportDue::of));
        assertTrue(duplicate.getMessage().contains("'reports'"), duplicate.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> scheduler.register("other", Schedule.cron("every day", ZoneId.of("UTC")), ReportDue::of));
        assertTrue(bad.getMessage().contains("'every day'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> scheduler.register(" ", Schedule.fixedRate(Duration.ofHours(1)), ReportDue::of));
        // February 30th never comes.
        assertThrows(IllegalArgumentException.class,
                () -> scheduler.register("never", Schedule.cron("0 0 0 30 2 *", ZoneId.of("UTC")), ReportDue::of));
    }

    @Test
    void refusesAnEventWhoseIdIsNotTheTicks() {
        Scheduler scheduler = start(new MutableClock(Instant.parse("2026-12-04T10:00:30Z")));
        scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(1)),
                tick -> new ReportDue(EventIds.newId(), tick.at(), EventMetadata.EMPTY, tick.schedule()));
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.schedules().get(0).ticksMissed() == 1);
        ScheduleStatus status = scheduler.schedules().get(0);
        assertTrue(status.lastError().orElseThrow().contains("not the tick's id"), status.lastError().toString());
        assertEquals(0, bus.attempts());
        assertTrue(handled.isEmpty());
    }

    @Test
    void retriesAFailedPublishUntilItSucceeds() {
        bus.failNext(2);
        Scheduler scheduler = start(Clock.systemUTC());
        scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(1)), ReportDue::of);
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        Instant tick = handled.get(0).occurredAt();
        assertEquals(TickIds.of("reports", tick), handled.get(0).eventId());
        assertEquals(3, bus.attempts());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scheduler.schedules().get(0).lastTick().isPresent());
        ScheduleStatus status = scheduler.schedules().get(0);
        assertEquals(0, status.ticksMissed());
        assertTrue(status.lastError().isEmpty());
    }

    @Test
    void givesATickUpWhenTheNextIsDueAndFiresThatOne() {
        bus.failNext(Integer.MAX_VALUE);
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        Scheduler scheduler = start(clock);
        scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(1)), ReportDue::of);
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.attempts() >= 1);
        assertEquals(Instant.parse("2026-12-04T10:00:00Z"), scheduler.schedules().get(0).nextRun());

        clock.set(Instant.parse("2026-12-04T11:00:00.500Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.schedules().get(0).ticksMissed() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scheduler.schedules().get(0).nextRun().equals(Instant.parse("2026-12-04T11:00:00Z")));
        bus.failNext(0);
        clock.set(Instant.parse("2026-12-04T11:00:01Z"));

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        assertEquals(TickIds.of("reports", Instant.parse("2026-12-04T11:00:00Z")), handled.get(0).eventId());
        assertTrue(scheduler.schedules().get(0).lastError().isEmpty());
    }

    @Test
    void aRemovedScheduleFiresNoMore() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        Scheduler scheduler = start(clock);
        ScheduleRegistration removed = scheduler.register("removed", Schedule.fixedRate(Duration.ofHours(1)),
                MissedTicks.SKIP, ReportDue::of);
        scheduler.register("kept", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.SKIP, ReportDue::of);
        scheduler.start();
        assertTrue(removed.remove());
        assertEquals(false, removed.remove());

        clock.set(Instant.parse("2026-12-04T11:00:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        scheduler.close();
        assertEquals(List.of(TickIds.of("kept", Instant.parse("2026-12-04T11:00:00Z"))),
                handled.stream().map(ReportDue::eventId).toList());
        assertEquals(List.of("kept"), scheduler.schedules().stream().map(ScheduleStatus::name).toList());
    }

    @Test
    void skipAtStartFiresNothingUntilTheNextTick() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        Scheduler scheduler = start(clock);
        scheduler.register("reports", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.SKIP, ReportDue::of);
        scheduler.start();
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), scheduler.schedules().get(0).nextRun());

        clock.set(Instant.parse("2026-12-04T11:00:00.001Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        scheduler.close();
        assertEquals(List.of(TickIds.of("reports", Instant.parse("2026-12-04T11:00:00Z"))),
                handled.stream().map(ReportDue::eventId).toList());
    }

    @Test
    void aScheduleRegisteredWhileRunningFollowsItsPolicyThen() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:30Z"));
        Scheduler scheduler = start(clock);
        scheduler.start();
        scheduler.register("late", Schedule.fixedRate(Duration.ofHours(1)), MissedTicks.FIRE_ONCE, ReportDue::of);

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        assertEquals(TickIds.of("late", Instant.parse("2026-12-04T10:00:00Z")), handled.get(0).eventId());
    }
}
