package io.hexbus.admin.http;

/** What the read-only routes say when the transport has no queue (it runs handlers in the publisher's thread). */
final class NoQueue {

    /** The name reported for a transport without a queue. */
    static final String TRANSPORT = "in-memory";
    /** Why there is nothing to show. */
    static final String DETAIL = "no queue on the in-memory transport: handlers run in the publisher's thread";

    private NoQueue() {
    }
}
