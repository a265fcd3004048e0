package io.hexbus.admin.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the read-only routes say when the transport has no queue (it runs handlers in the publisher's thread). */
final class NoQueue {

    /** The name reported for a transport without a queue. */
    static final String TRANSPORT = "in-memory";
    /** Why there is nothing to show. */
    static final String DETAIL = "no queue on the in-memory transport: handlers run in the publisher's thread";

    private NoQueue() {
    }

    /**
     * @param transport the transport's name
     * @return the start of a read-only route's answer without a queue ({@code transport}, {@code "queue": false},
     *         {@code detail}), for the route to add its own members to
     */
    static Map<String, Object> body(String transport) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transport", transport);
        body.put("queue", false);
        body.put("detail", DETAIL);
        return body;
    }
}
