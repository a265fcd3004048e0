/**
 * The worker every queued transport runs: {@link io.hexbus.engine.worker.EngineWorker} on a
 * {@link io.hexbus.engine.backend.QueueBackend}, configured by {@link io.hexbus.engine.worker.EngineSettings}. It
 * owns capacity and job threads, handler timeouts, renewing leases, retrying writes the broker did not take,
 * acknowledging in batches, graceful shutdown and abandonment, and the observer calls.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.engine.worker;
