package io.hexbus.admin.http;

import io.hexbus.api.admin.DeadLetter;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of a dead letter, as the admin API answers it. */
final class DeadLetterJson {

    private DeadLetterJson() {
    }

    static Map<String, Object> of(DeadLetter letter, boolean includePayload, AdminJson json) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("eventId", letter.eventId());
        item.put("eventName", letter.eventName());
        item.put("failedSubscriptions", letter.failedSubscriptions());
        item.put("attempts", letter.attempts());
        item.put("lastError", letter.lastError());
        item.put("firstFailedAt", letter.firstFailedAt());
        item.put("lastFailedAt", letter.lastFailedAt());
        if (includePayload) {
            item.put("envelope", json.treeOrText(letter.envelope()));
        }
        return item;
    }
}
