/**
 * Guice wiring of hexbus: the core module (the event type registry, the processor and the set of handler
 * registrars), one module per transport ({@link io.hexbus.adapters.guice.InMemoryTransportModule},
 * {@link io.hexbus.adapters.guice.RedisTransportModule}), and the {@link io.hexbus.adapters.guice.HandlerRegistry}
 * that registers every feature module's handlers at start.
 *
 * <p>Modules here do no I/O and read no environment in {@code configure()}: the composition root reads the
 * configuration once, picks exactly one transport module, and passes settings in through constructors.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.guice;
