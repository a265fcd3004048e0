package io.hexbus.api.transport;

/**
 * A running worker of a {@link QueuedTransport}, as {@link QueuedTransport#startWorker()} returns it: the handle
 * that stops it.
 *
 * <p>Thread-safe.
 */
public interface QueueWorker extends AutoCloseable {

    /**
     * Stops the worker gracefully: it takes no new events, lets its in-flight handlers finish within the
     * transport's shutdown deadline, then interrupts the rest and leaves their events for another worker. Blocks
     * until the in-flight handlers finished or the deadline passed, and then until the worker's own threads
     * stopped, which may wait on the broker (a blocking read in progress, the last acknowledgements): so bounded by
     * the deadline plus the transport's own command timeouts, not by the deadline alone. Idempotent: a call while
     * another thread closes the worker returns once that close finished. Never throws for a broker that went
     * away.
     */
    @Override
    void close();
}
