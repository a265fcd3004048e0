package io.hexbus.adapters.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as RFC 7807 problem details: thrown by a route, turned into a response by the server.
 */
final class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The prefix of every problem type URI. */
    static final String TYPE_PREFIX = "urn:hexbus:problem:";

    private final int status;
    private final String type;
    private final String title;

    private Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    static Problem of(int status, String type, String title, String detail) {
        return new Problem(status, TYPE_PREFIX + type, title, detail);
    }

    static Problem bodyTooLarge(int maxBytes) {
        return of(413, "body-too-large", "Request body too large", "a request body may have at most " + maxBytes
                + " bytes");
    }

    /** @return this problem with another detail: the same status, type and title */
    Problem withDetail(String detail) {
        return new Problem(status, type, title, detail);
    }

    static Problem badRequest(String detail) {
        return of(400, "bad-request", "Bad request", detail);
    }

    static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail);
    }

    static Problem noQueue() {
        return of(409, "no-queue", "No queue", "no queue on the in-memory transport: dead letters exist only on the"
                + " Redis queue (USE_QUEUE_EVENT_BUS=true)");
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }

    String detail() {
        return getMessage();
    }

    /** @return the RFC 7807 members, in their usual order, for a JSON writer */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail());
        return body;
    }
}
