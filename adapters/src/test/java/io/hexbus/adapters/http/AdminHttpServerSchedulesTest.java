package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.TickIds;
import io.hexbus.sample.invoicing.domain.InvoiceRemindersDue;
import io.hexbus.scheduling.Scheduler;
import io.hexbus.scheduling.SchedulerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.hexbus.adapters.http.HttpTestClient.assertProblem;
import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/schedules} through a real HTTP client: behind the token, each recurring event with its
 * schedule, zone, next run and last tick.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerSchedulesTest {

    private static final String TOKEN = AdminHttpServerInMemoryTest.TOKEN;
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:30Z");

    private AdminHttpServer server;
    private HttpTestClient http;
    private Scheduler scheduler;

    @BeforeEach
    void start() {
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.empty(), () -> 0);
        http = new HttpTestClient(server.port());
        // A bus that accepts every event once: enough to see a last tick and its outcome.
        scheduler = new Scheduler(events -> Collections.nCopies(events.size(), PublishOutcome.PUBLISHED),
                Clock.fixed(NOW, ZoneOffset.UTC), SchedulerSettings.defaults().withIdleWake(Duration.ofMillis(20)));
    }

    @AfterEach
    void stop() {
        scheduler.close();
        server.close();
    }

    @Test
    void listsEachScheduleWithItsNextRunAndLastTickBehindTheToken() {
        scheduler.register("reminders", Schedule.cron("0 0 9 * * *", ZoneId.of("Europe/Paris")), MissedTicks.SKIP,
                tick -> new InvoiceRemindersDue(tick.eventId(), tick.at(), io.hexbus.api.event.EventMetadata.EMPTY));
        scheduler.register("hourly", Schedule.fixedRate(Duration.ofHours(1)),
                tick -> new InvoiceRemindersDue(tick.eventId(), tick.at(), io.hexbus.api.event.EventMetadata.EMPTY));
        server.observeSchedules(scheduler::schedules);
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.schedules().get(0).lastTick().isPresent());

        assertProblem(http.send(http.request("/api/v1/schedules")), 401, "unauthorized");
        HttpResponse<String> response = http.send(http.authorized("/api/v1/schedules", TOKEN));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode schedules = json(response).path("schedules");
        assertEquals(2, schedules.size(), response.body());
        JsonNode hourly = schedules.get(0);
        assertEquals("hourly", hourly.path("name").asText());
        assertEquals("fixed-rate", hourly.path("kind").asText());
        assertEquals("PT1H", hourly.path("schedule").asText());
        assertEquals("UTC", hourly.path("zone").asText());
        assertEquals("FIRE_ONCE", hourly.path("missedTicks").asText());
        assertEquals("2026-12-04T11:00:00Z", hourly.path("nextRun").asText());
        assertEquals("2026-12-04T10:00:00Z", hourly.path("lastTick").path("at").asText());
        assertEquals(TickIds.of("hourly", Instant.parse("2026-12-04T10:00:00Z")).toString(),
                hourly.path("lastTick").path("eventId").asText());
        assertEquals("PUBLISHED", hourly.path("lastTick").path("outcome").asText());
        assertEquals(0, hourly.path("ticksMissed").asLong());
        assertTrue(hourly.path("lastError").isNull());
        JsonNode reminders = schedules.get(1);
        assertEquals("cron", reminders.path("kind").asText());
        assertEquals("0 0 9 * * *", reminders.path("schedule").asText());
        assertEquals("Europe/Paris", reminders.path("zone").asText());
        assertEquals("SKIP", reminders.path("missedTicks").asText());
        assertEquals("2026-12-05T08:00:00Z", reminders.path("nextRun").asText());
        assertTrue(reminders.path("lastTick").isNull());
    }

    @Test
    void listsNothingUntilSchedulesAreObserved() {
        HttpResponse<String> response = http.send(http.authorized("/api/v1/schedules", TOKEN));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, json(response).path("schedules").size());
    }
}
