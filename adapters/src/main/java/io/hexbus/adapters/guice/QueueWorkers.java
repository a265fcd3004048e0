package io.hexbus.adapters.guice;

import io.hexbus.api.transport.QueueWorker;

import java.util.List;

/**
 * Starts the queue workers of a worker process as its transport module configured them: bound by a transport module
 * whose workers are configured beyond {@link io.hexbus.api.transport.QueuedTransport#startWorker()} (the Redis
 * module's worker sets over named queues); where none is bound, a composition root starts one worker with
 * {@code startWorker()}.
 */
@FunctionalInterface
public interface QueueWorkers {

    /**
     * Starts the workers; blocks only while connecting.
     *
     * @return the running workers, at least one; closing the transport stops them
     * @throws io.hexbus.api.transport.TransportUnavailableException if a worker cannot be started
     */
    List<QueueWorker> start();
}
