/**
 * Guice feature modules of the sample service: each binds its context's stores and contributes its handlers
 * through the {@code Multibinder<}{@link io.hexbus.adapters.guice.HandlerRegistrar}{@code >}. They name no
 * transport: a use case receives whichever {@link io.hexbus.api.publishing.EventBus} the composition root bound.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.sample;
