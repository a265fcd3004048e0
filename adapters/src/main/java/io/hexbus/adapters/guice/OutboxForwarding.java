package io.hexbus.adapters.guice;

import io.hexbus.adapters.metrics.OutboxHealth;

/**
 * The transactional outbox's forwarding to the transport, as the composition root runs it: started once the
 * transport is up, read by {@code /health} and {@code /metrics}, closed at shutdown before the transport. Bound by
 * {@link OutboxModule}; the composition root names no outbox type but this one.
 *
 * <p>Thread-safe.
 */
public interface OutboxForwarding extends AutoCloseable {

    /**
     * Starts forwarding: what waits in the outbox goes to the transport, and what is committed later, soon after.
     * Returns at once.
     *
     * @throws IllegalStateException if it was started before, or closed
     */
    void start();

    /**
     * @return the outbox's backlog and its relay's state now; blocks on one short database read
     * @throws RuntimeException if the database cannot be read (then the outbox is not known to forward)
     */
    OutboxHealth health();

    /**
     * Stops forwarding (what is not forwarded stays in the outbox for the next start, or another process's relay)
     * and closes the connection pool. Idempotent.
     */
    @Override
    void close();
}
