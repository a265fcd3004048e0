package io.hexbus.api.conformance;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One queue of a queued transport, for one test of {@link QueuedTransportContract}: what a transport's test class
 * supplies. Every transport it connects works on this same queue (one application's consumer group), as processes
 * of one application would, so that one can crash and another take over; the queue is the fixture's own, shared
 * with no other test.
 *
 * <p>Called from the test's thread, and from several threads at once only where a method says so.
 */
public interface QueuedTransportUnderTest extends AutoCloseable {

    /**
     * Connects a transport to this fixture's queue, with no worker yet.
     *
     * @param processor the processor its workers dispatch through
     * @param settings  the knobs the test turns, mapped onto the transport's own settings
     * @return the connected transport; {@link #close()} closes it if the test did not
     */
    QueuedTransport connect(DomainEventsProcessor processor, QueueTestSettings settings);

    /**
     * Starts a worker of a transport this fixture connected, and keeps track of it for {@link #awaitIdle}.
     *
     * @param transport a transport of this fixture
     * @return the running worker
     */
    QueueWorker startWorker(QueuedTransport transport);

    /**
     * Stops a transport the hardest way this fixture can in-process, as a killed process looks to the broker: its
     * running handlers are stopped mid-run (at the latest at its shutdown deadline, which a test that crashes one
     * sets short), and the events they held are neither acknowledged nor failed but left, their leases lapsing,
     * for a worker of another transport to take over. The transport is unusable afterwards.
     *
     * @param transport a transport of this fixture, with workers running
     */
    void crash(QueuedTransport transport);

    /**
     * Writes a message to the queue as a foreign producer would, around the bus and its checks: routed by the
     * given id and name, with {@code body} as its envelope, byte for byte. Only called when the transport declares
     * {@link TransportCapability#RAW_INPUT}; others may throw {@link UnsupportedOperationException}.
     *
     * @param eventId   the id the message is routed by
     * @param eventName the event name it is routed by
     * @param body      the envelope, which need not be valid
     */
    void injectRaw(UUID eventId, String eventName, String body);

    /**
     * Blocks until nothing of the queue is waiting, running, held by a worker or waiting for a retry, so that a
     * test can assert that something did NOT happen. Works after transports of the queue were closed or crashed.
     *
     * @param atMost how long to wait
     * @throws AssertionError if the queue is still busy after {@code atMost}
     */
    void awaitIdle(Duration atMost);

    /** Closes every transport it connected (a close of one already closed is a no-op) and deletes the queue. */
    @Override
    void close();

    // --- Delayed events (issue 19, item 1) ---

    /**
     * The broker's clock, which delayed events are due by, where the fixture can read it (Redis's {@code TIME});
     * a test that compares due times uses it instead of the JVM's clock.
     *
     * @return the broker's now, or empty if the fixture cannot read it
     */
    default Optional<Instant> brokerNow() {
        return Optional.empty();
    }
}
