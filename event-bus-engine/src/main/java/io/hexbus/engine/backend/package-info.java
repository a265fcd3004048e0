/**
 * The backend SPI: what a queued transport implements so that the engine's
 * {@link io.hexbus.engine.worker.EngineWorker} runs on its broker. A {@link io.hexbus.engine.backend.QueueBackend}
 * reads leased {@link io.hexbus.engine.backend.Delivery deliveries} and writes their settlement, fenced to the
 * lease holder; an {@link io.hexbus.engine.backend.EnvelopeReader} reads envelopes with the transport's codec.
 * {@code docs/writing-a-transport.md} says how to write one and how each broker maps onto it.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.engine.backend;
