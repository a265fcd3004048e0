package io.hexbus.api.transport;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.publishing.EventBus;

/**
 * A queued transport of one application, connected: producers publish through its {@link #eventBus()}, operators
 * look at it through its {@link #admin()}, and consumers run its {@linkplain #startWorker() workers}, in this or
 * another process. A composition root obtains one from the transport's module and closes it at shutdown; nothing
 * else of the transport needs to be named.
 *
 * <p>Thread-safe: every method may be called from any thread, {@link #close()} too, also while workers start or
 * other threads close it.
 */
public interface QueuedTransport extends AutoCloseable {

    /**
     * @return a short lower-case name of the transport for logs and health checks, such as {@code redis}
     */
    String name();

    /**
     * @return the bus that publishes to this transport; the same instance on every call
     */
    EventBus eventBus();

    /**
     * @return the statistics and dead letters of this application's consumer group; the same instance on every call
     */
    QueueAdmin admin();

    /**
     * Starts a worker that consumes this application's events and runs their handlers. Call it more than once to
     * run more workers. Blocks until the worker is running, or failed to.
     *
     * @return the running worker; {@link #close()} stops it too
     * @throws TransportUnavailableException if the broker cannot be used to start it
     * @throws IllegalStateException         if this transport is closed
     */
    QueueWorker startWorker();

    /**
     * Closes the transport: first every worker it started, gracefully (as {@link QueueWorker#close()}: all stop
     * taking work at once, then each lets its in-flight handlers finish within the shutdown deadline), then its
     * connections, so that no finished event loses its acknowledgement. Blocks until done. Idempotent: a call
     * while another thread closes it returns once that close finished. Never throws for a broker that went
     * away: what could not be acknowledged is left for another worker. Once it returned, the bus and the admin
     * fail as when the broker cannot be used (a {@link TransportUnavailableException}, on publish as the cause of
     * the {@link io.hexbus.api.publishing.EventPublishingException}), and {@link #startWorker()} with an
     * {@link IllegalStateException}.
     */
    @Override
    void close();
}
