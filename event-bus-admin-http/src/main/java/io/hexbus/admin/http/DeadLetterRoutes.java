package io.hexbus.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The dead-letter routes under {@code /api/v1/queues/}: list (filtered, paged), read, retry and remove one, retry
 * and remove all that match a filter, clean by age. Without a queue each answers 409 {@code no-queue} (after
 * checking its parameters, but before reading the body of retry-all and remove-all, which says nothing then).
 */
final class DeadLetterRoutes {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRoutes.class);

    /** The largest page of dead letters. */
    static final int MAX_LIMIT = 1_000;
    /** The page size when {@code limit} is not given. */
    static final int DEFAULT_LIMIT = 50;
    /** The longest age {@code POST /api/v1/queues/clean} accepts: ten years, in seconds. */
    static final long MAX_CLEAN_SECONDS = 10L * 366 * 24 * 3600;

    private final Optional<QueueAdmin> admin;
    private final AdminJson json;

    DeadLetterRoutes(Optional<QueueAdmin> admin, AdminJson json) {
        this.admin = admin;
        this.json = json;
    }

    void register(AdminRouter router) {
        router.get("queues/failed", this::list);
        router.get("queues/failed/{id}", this::one);
        router.post("queues/failed/{id}/retry", this::retry);
        router.post("queues/failed/retry-all", this::retryAll);
        router.post("queues/failed/remove-all", this::removeAll);
        router.delete("queues/failed/{id}", this::remove);
        router.post("queues/clean", this::clean);
    }

    private void list(Context ctx) {
        int offset = Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Requests.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean includePayload = Requests.includePayload(ctx);
        DeadLetterFilter filter = Requests.filterOfQuery(ctx);
        DeadLetterPage page = queue().deadLetters(filter, offset, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        page.items().forEach(letter -> items.add(DeadLetterJson.of(letter, includePayload, json)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("offset", page.offset());
        body.put("limit", limit);
        body.put("total", page.total());
        json.write(ctx, 200, body);
    }

    private void one(Context ctx) {
        UUID id = Requests.eventId(ctx, "id");
        boolean includePayload = Requests.includePayload(ctx);
        DeadLetter letter = queue().deadLetter(id).orElseThrow(() -> noDeadLetter(id));
        json.write(ctx, 200, DeadLetterJson.of(letter, includePayload, json));
    }

    private void retry(Context ctx) {
        UUID id = Requests.eventId(ctx, "id");
        if (!queue().retry(id)) {
            throw noDeadLetter(id);
        }
        log.info("Admin API: dead letter {} queued again", id);
        json.write(ctx, 200, Map.of("eventId", id, "retried", true));
    }

    private void retryAll(Context ctx) {
        QueueAdmin queue = queue();
        DeadLetterFilter filter = json.readOptional(ctx)
                .map(body -> Requests.filterOfBody(body, Set.of()))
                .orElse(DeadLetterFilter.ANY);
        int retried = queue.retryAll(filter);
        log.info("Admin API: {} dead letters queued again (retry-all, {})", retried, describe(filter));
        json.write(ctx, 200, Map.of("retried", retried));
    }

    /** With no filter at all, the body must say {@code "all": true}: a guard against an accidental purge. */
    private void removeAll(Context ctx) {
        QueueAdmin queue = queue();
        Optional<JsonNode> body = json.readOptional(ctx);
        DeadLetterFilter filter = body.map(given -> Requests.filterOfBody(given, Set.of("all")))
                .orElse(DeadLetterFilter.ANY);
        boolean all = body.map(given -> given.get("all")).map(DeadLetterRoutes::allFlag).orElse(false);
        if (all && !filter.matchesAll()) {
            throw Problem.badRequest("\"all\": true removes every dead letter: send it without a filter");
        }
        if (!all && filter.matchesAll()) {
            throw Problem.badRequest("no filter: to remove every dead letter, send {\"all\": true}");
        }
        int removed = queue.removeAll(filter);
        log.info("Admin API: {} dead letters removed (remove-all, {})", removed, describe(filter));
        json.write(ctx, 200, Map.of("removed", removed));
    }

    private static boolean allFlag(JsonNode value) {
        if (!value.isBoolean()) {
            throw Problem.badRequest("all must be true or false");
        }
        return value.asBoolean();
    }

    private void remove(Context ctx) {
        UUID id = Requests.eventId(ctx, "id");
        if (!queue().remove(id)) {
            throw noDeadLetter(id);
        }
        log.info("Admin API: dead letter {} removed", id);
        json.write(ctx, 200, Map.of("eventId", id, "removed", true));
    }

    private void clean(Context ctx) {
        JsonNode body = json.readOptional(ctx)
                .orElseThrow(() -> Problem.badRequest("send a JSON object: {\"olderThanSeconds\": N}"));
        if (!body.isObject()) {
            throw Problem.badRequest("send a JSON object: {\"olderThanSeconds\": N}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("olderThanSeconds") && !name.equals("state")) {
                throw Problem.badRequest("unknown field '" + AdminJson.abbreviate(name) + "': send"
                        + " {\"olderThanSeconds\": N} and optionally \"state\": \"failed\"");
            }
        }
        JsonNode state = body.get("state");
        if (state != null && !(state.isTextual() && state.asText().equals("failed"))) {
            throw Problem.badRequest("state: only \"failed\" (the dead-letter queue) can be cleaned");
        }
        JsonNode older = body.get("olderThanSeconds");
        if (older == null || older.isNull()) {
            throw Problem.badRequest("olderThanSeconds is required: an unbounded clean is refused");
        }
        if (!older.canConvertToLong() || !older.isIntegralNumber() || older.asLong() < 1
                || older.asLong() > MAX_CLEAN_SECONDS) {
            throw Problem.badRequest("olderThanSeconds must be a whole number from 1 to " + MAX_CLEAN_SECONDS);
        }
        QueueAdmin queue = queue();
        Duration age = Duration.ofSeconds(older.asLong());
        int removed = queue.cleanDeadLetters(age);
        log.info("Admin API: {} dead letters older than {} removed", removed, age);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", "failed");
        answer.put("olderThanSeconds", older.asLong());
        answer.put("removed", removed);
        json.write(ctx, 200, answer);
    }

    /** @return the filter for a log line: its criteria cut short and without line breaks (they come from a request) */
    private static String describe(DeadLetterFilter filter) {
        if (filter.matchesAll()) {
            return "all";
        }
        StringBuilder text = new StringBuilder();
        filter.eventName().ifPresent(value -> text.append("eventName=").append(AdminJson.abbreviate(value))
                .append(' '));
        filter.subscription().ifPresent(value -> text.append("subscription=").append(AdminJson.abbreviate(value))
                .append(' '));
        filter.errorContains().ifPresent(value -> text.append("error=").append(AdminJson.abbreviate(value)));
        return text.toString().trim();
    }

    private QueueAdmin queue() {
        return admin.orElseThrow(Problem::noQueue);
    }

    private static Problem noDeadLetter(UUID id) {
        return Problem.notFound("no dead letter with event id " + id);
    }
}
