package io.hexbus.admin.http;

import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /api/v1/schedules}: the recurring events, with their next run and last tick. */
final class ScheduleRoutes {

    private final Supplier<List<ScheduleStatus>> schedules;
    private final AdminJson json;

    ScheduleRoutes(Supplier<List<ScheduleStatus>> schedules, AdminJson json) {
        this.schedules = schedules;
        this.json = json;
    }

    void register(AdminRouter router) {
        router.get("schedules", this::schedules);
    }

    private void schedules(Context ctx) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ScheduleStatus status : schedules.get()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", status.name());
            item.put("kind", status.schedule() instanceof Schedule.Cron ? "cron" : "fixed-rate");
            item.put("schedule", status.schedule().description());
            item.put("zone", status.schedule().zone().getId());
            item.put("missedTicks", status.missedTicks().name());
            item.put("nextRun", status.nextRun().toString());
            item.put("lastTick", status.lastTick().map(tick -> {
                Map<String, Object> last = new LinkedHashMap<>();
                last.put("at", tick.at().toString());
                last.put("eventId", tick.eventId().toString());
                last.put("outcome", tick.outcome().name());
                last.put("publishedAt", tick.publishedAt().toString());
                return last;
            }).orElse(null));
            item.put("ticksMissed", status.ticksMissed());
            item.put("lastError", status.lastError().orElse(null));
            listed.add(item);
        }
        json.write(ctx, 200, Map.of("schedules", listed));
    }
}
