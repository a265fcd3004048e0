package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/queues/stats}: the group's counters, and the sections the app adds (such as its outbox).
 * Without a queue it says so ({@code "queue": false}) with a 200.
 */
final class StatsRoutes {

    private final Optional<QueueAdmin> admin;
    private final Optional<QueueGroup> group;
    private final String transport;
    private final Map<String, Supplier<?>> sections;
    private final AdminJson json;

    StatsRoutes(Optional<QueueAdmin> admin, Optional<QueueGroup> group, String transport,
                Map<String, Supplier<?>> sections, AdminJson json) {
        this.admin = admin;
        this.group = group;
        this.transport = transport;
        this.sections = Map.copyOf(sections);
        this.json = json;
    }

    void register(AdminRouter router) {
        router.get("queues/stats", this::stats);
    }

    private void stats(Context ctx) {
        Map<String, Object> body;
        if (admin.isEmpty()) {
            body = NoQueue.body(transport);
        } else {
            QueueStats stats = admin.get().stats();
            group.ifPresent(known -> known.remember(stats));
            body = new LinkedHashMap<>();
            body.put("transport", transport);
            body.put("queue", true);
            body.put("group", stats.group());
            body.put("waiting", stats.waiting());
            body.put("active", stats.active());
            body.put("reserved", stats.reserved());
            body.put("retryScheduled", stats.retryScheduled());
            body.put("scheduled", stats.scheduled());
            body.put("completed", stats.completed());
            body.put("deadLettered", stats.deadLettered());
            body.put("failedAttempts", stats.failedAttempts());
            body.put("takeovers", stats.takeovers());
            body.put("unhandled", stats.unhandled());
        }
        sections.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(section -> {
            Object value = section.getValue().get();
            if (value != null) {
                body.put(section.getKey(), value);
            }
        });
        json.write(ctx, 200, body);
    }
}
