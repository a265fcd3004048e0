/**
 * The conformance suite every transport must pass, shipped in the {@code tests} jar of {@code event-bus-api}:
 * extend {@link io.hexbus.api.conformance.EventBusContract} and say how to start the transport.
 */
package io.hexbus.api.conformance;
