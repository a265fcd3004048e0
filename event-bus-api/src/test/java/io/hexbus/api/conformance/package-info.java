/**
 * The conformance suites, shipped in the {@code tests} jar of {@code event-bus-api}. Every transport extends
 * {@link io.hexbus.api.conformance.EventBusContract} and says how to start it; a queued transport (an
 * {@link io.hexbus.api.transport.QueuedTransport}) also extends
 * {@link io.hexbus.api.conformance.QueuedTransportContract} with a
 * {@link io.hexbus.api.conformance.QueuedTransportUnderTest} over a queue of its own. Both skip, with the reason,
 * the tests of a {@link io.hexbus.api.conformance.TransportCapability} the transport does not claim.
 */
package io.hexbus.api.conformance;
