package io.hexbus.adapters.guice;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Registration;

import java.util.List;

/**
 * What a feature module contributes to the set of handlers: one registrar per feature module, bound with a
 * Guice {@code Multibinder<HandlerRegistrar>} (or {@code @ProvidesIntoSet}), called once at start by the
 * {@link HandlerRegistry}.
 *
 * <p>The sample's framework-free registrars fit as they are: {@code invoicingHandlers::register}.
 */
@FunctionalInterface
public interface HandlerRegistrar {

    /**
     * Registers this feature's handlers, each under its stable subscription name.
     *
     * @param processor the processor to register with
     * @return the registrations made, in registration order
     * @throws io.hexbus.api.handling.DuplicateSubscriptionException if a subscription name is already taken
     */
    List<Registration> register(DomainEventsProcessor processor);
}
