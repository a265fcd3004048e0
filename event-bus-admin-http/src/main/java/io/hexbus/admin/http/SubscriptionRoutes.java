package io.hexbus.admin.http;

import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.SubscriptionStats;
import io.javalin.http.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Per-subscription routes: {@code GET /api/v1/queues/subscriptions} (what each subscription did, with handler
 * duration percentiles over the window) and {@code GET /api/v1/queues/events/{eventId}} (where one event stands
 * for each subscription). Without a queue the first says so with a 200, the second answers 409 {@code no-queue}.
 * The group's name is read once ({@link QueueGroup}), not with the full statistics on every call;
 * {@code windowSeconds} is the length of the entries' window, null when there is no entry.
 */
final class SubscriptionRoutes {

    private final Optional<QueueAdmin> admin;
    private final Optional<QueueGroup> group;
    private final String transport;
    private final AdminJson json;

    SubscriptionRoutes(Optional<QueueAdmin> admin, Optional<QueueGroup> group, String transport, AdminJson json) {
        this.admin = admin;
        this.group = group;
        this.transport = transport;
        this.json = json;
    }

    void register(AdminRouter router) {
        router.get("queues/subscriptions", this::subscriptions);
        router.get("queues/events/{eventId}", this::event);
    }

    private void subscriptions(Context ctx) {
        if (admin.isEmpty()) {
            Map<String, Object> body = NoQueue.body(transport);
            body.put("subscriptions", List.of());
            json.write(ctx, 200, body);
            return;
        }
        List<SubscriptionStats> stats = admin.get().subscriptionStats();
        List<Map<String, Object>> items = new ArrayList<>();
        stats.forEach(one -> items.add(subscription(one)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("group", group.orElseThrow().name());
        // Every entry's durations cover the transport's one window; with no entry there is no length to tell.
        body.put("windowSeconds", stats.isEmpty() ? null : stats.get(0).window().length().toSeconds());
        body.put("subscriptions", items);
        json.write(ctx, 200, body);
    }

    private static Map<String, Object> subscription(SubscriptionStats stats) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("subscription", stats.subscription());
        item.put("handled", stats.handled());
        item.put("failedAttempts", stats.failedAttempts());
        item.put("retriesScheduled", stats.retriesScheduled());
        item.put("deadLettered", stats.deadLettered());
        item.put("failureRate", stats.failureRate());
        SubscriptionStats.Durations window = stats.window();
        Map<String, Object> durations = new LinkedHashMap<>();
        durations.put("runs", window.runs());
        durations.put("p50Ms", millis(window.p50()));
        durations.put("p95Ms", millis(window.p95()));
        durations.put("p99Ms", millis(window.p99()));
        durations.put("maxMs", millis(window.max()));
        item.put("window", durations);
        return item;
    }

    private static Double millis(Optional<Duration> duration) {
        return duration.map(value -> value.toNanos() / 1_000_000.0).orElse(null);
    }

    private void event(Context ctx) {
        UUID id = Requests.eventId(ctx, "eventId");
        EventProgress progress = admin.orElseThrow(Problem::noQueue).eventProgress(id)
                .orElseThrow(() -> Problem.notFound("no record of event " + id + " in this group: never published,"
                        + " or past the transport's retention"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (EventProgress.SubscriptionProgress one : progress.subscriptions()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("subscription", one.subscription());
            item.put("state", one.state().name());
            item.put("attempts", one.attempts());
            item.put("nextAttemptAt", one.nextAttemptAt().map(Instant::toString).orElse(null));
            item.put("lastError", one.lastError().orElse(null));
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", progress.eventId());
        body.put("eventName", progress.eventName());
        body.put("subscriptions", items);
        json.write(ctx, 200, body);
    }
}
