/**
 * Tracing of hexbus with OpenTelemetry: {@link io.hexbus.opentelemetry.HexbusTracing} plugs the W3C trace context
 * into each publish and a CONSUMER span around each handler run, on every transport.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.opentelemetry;
