package io.hexbus.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.admin.DeadLetterFilter;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/** Reads and checks what a request gives: ids, paging, flags and dead-letter filters; a 400 problem otherwise. */
final class Requests {

    /** The filter fields, in the query string and in a body alike. */
    static final Set<String> FILTER_FIELDS = Set.of("eventName", "subscription", "error");

    private Requests() {
    }

    /**
     * @param ctx  the exchange
     * @param name the path parameter holding an event id
     * @return the id, written exactly as a UUID is
     */
    static UUID eventId(Context ctx, String name) {
        String text = ctx.pathParam(name);
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equalsIgnoreCase(text)) {
                return id;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw Problem.badRequest("'" + AdminJson.abbreviate(text) + "' is not an event id: use a UUID like"
                + " 0190f3c2-7a1b-7c3d-9e4f-123456789abc");
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw Problem.badRequest(name + "='" + AdminJson.abbreviate(text) + "': use a whole number from " + min
                + " to " + max);
    }

    static boolean includePayload(Context ctx) {
        String text = ctx.queryParam("includePayload");
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw Problem.badRequest("includePayload='" + AdminJson.abbreviate(text)
                + "': use true or false (the default)");
    }

    /** @return the filter of the query parameters {@code eventName}, {@code subscription} and {@code error} */
    static DeadLetterFilter filterOfQuery(Context ctx) {
        return DeadLetterFilter.ANY.withEventName(ctx.queryParam("eventName"))
                .withSubscription(ctx.queryParam("subscription"))
                .withErrorContaining(ctx.queryParam("error"));
    }

    /**
     * @param body    a JSON object, or missing
     * @param allowed the fields it may hold besides the filter's
     * @return the filter of its fields {@code eventName}, {@code subscription} and {@code error} (strings or null)
     */
    static DeadLetterFilter filterOfBody(JsonNode body, Set<String> allowed) {
        if (!body.isObject()) {
            throw Problem.badRequest("send a JSON object: {\"eventName\": …, \"subscription\": …, \"error\": …},"
                    + " each optional");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FILTER_FIELDS.contains(name) && !allowed.contains(name)) {
                throw Problem.badRequest("unknown field '" + AdminJson.abbreviate(name) + "': use eventName,"
                        + " subscription and error");
            }
        }
        return DeadLetterFilter.ANY.withEventName(text(body, "eventName"))
                .withSubscription(text(body, "subscription"))
                .withErrorContaining(text(body, "error"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Problem.badRequest(field + " must be a string");
        }
        return value.asText();
    }
}
