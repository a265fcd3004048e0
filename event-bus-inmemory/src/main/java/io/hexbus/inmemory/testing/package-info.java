/**
 * Test support for users of hexbus: a recording {@link io.hexbus.api.publishing.EventBus} and assertions on
 * the events a use case published, in the spirit of Spring Modulith's {@code PublishedEvents}.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.inmemory.testing;
