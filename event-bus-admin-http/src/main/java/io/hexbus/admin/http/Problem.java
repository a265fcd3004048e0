package io.hexbus.admin.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as RFC 7807 problem details: thrown by a route, turned into an
 * {@code application/problem+json} response by {@link AdminJson#writeProblem}. Immutable; it carries no stack
 * trace (it is an answer, not a bug).
 */
public final class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The prefix of every problem type URI. */
    public static final String TYPE_PREFIX = "urn:hexbus:problem:";

    /** The HTTP status. */
    private final int status;
    /** The problem type URI. */
    private final String type;
    /** The fixed summary of the type. */
    private final String title;

    private Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /**
     * @param status the HTTP status
     * @param type   the problem type, without {@value #TYPE_PREFIX}
     * @param title  the short, fixed summary of the type
     * @param detail what happened to this request; never a secret
     * @return the problem
     */
    public static Problem of(int status, String type, String title, String detail) {
        return new Problem(status, TYPE_PREFIX + type, title, detail);
    }

    /**
     * @param maxBytes the largest body accepted
     * @return the 413 problem of a body over it
     */
    public static Problem bodyTooLarge(int maxBytes) {
        return of(413, "body-too-large", "Request body too large", "a request body may have at most " + maxBytes
                + " bytes");
    }

    /**
     * @param detail the new detail
     * @return this problem with another detail: the same status, type and title
     */
    public Problem withDetail(String detail) {
        return new Problem(status, type, title, detail);
    }

    /**
     * @param detail what is wrong with the request
     * @return a 400 {@code bad-request} problem
     */
    public static Problem badRequest(String detail) {
        return of(400, "bad-request", "Bad request", detail);
    }

    /**
     * @param detail what was not found
     * @return a 404 {@code not-found} problem
     */
    public static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail);
    }

    /**
     * @return the 409 {@code no-queue} problem of a queue route on a transport without a queue
     */
    public static Problem noQueue() {
        return of(409, "no-queue", "No queue", "no queue on the in-memory transport: dead letters exist only on a"
                + " queued transport (USE_QUEUE_EVENT_BUS=true)");
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the problem type URI */
    public String type() {
        return type;
    }

    /** @return the fixed summary of the type */
    public String title() {
        return title;
    }

    /** @return what happened to this request */
    public String detail() {
        return getMessage();
    }

    /** @return the RFC 7807 members, in their usual order, for a JSON writer */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail());
        return body;
    }
}
