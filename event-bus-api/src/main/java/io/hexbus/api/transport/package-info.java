/**
 * What a composition root needs from any queued transport, whatever its broker: the
 * {@link io.hexbus.api.transport.QueuedTransport} port (its event bus, its admin, its workers, its close) and the
 * transport-neutral failures of a broker, {@link io.hexbus.api.transport.TransportUnavailableException} and
 * {@link io.hexbus.api.transport.TransportTimeoutException}, so that a driving adapter (an HTTP admin API, a
 * health check) answers them without naming a concrete transport. {@link io.hexbus.api.transport.ConnectionUri}
 * reads a broker's connection URI strictly, for the transports' settings.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.transport;
