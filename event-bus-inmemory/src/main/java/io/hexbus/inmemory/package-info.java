/**
 * The in-memory transport: a synchronous {@link io.hexbus.api.publishing.EventBus} that runs handlers in the
 * publisher's thread. The default, and the transport of unit and component tests. Beside it,
 * {@link io.hexbus.inmemory.NoDeliveryTransport}, the queued transport that counts events and delivers none.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.inmemory;
