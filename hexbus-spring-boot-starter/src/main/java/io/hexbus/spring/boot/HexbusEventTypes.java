package io.hexbus.spring.boot;

import io.hexbus.api.event.EventTypeRegistry;

/**
 * Contributes event types (and upcasters) to the application's {@link EventTypeRegistry}: declare one or more as
 * beans, and each is applied once when the registry bean is created, before any handler is registered or event
 * decoded. A type a handler bean subscribes to by class is registered by that subscription already; declare here the
 * others a service publishes or reads, such as those whose name differs from their {@code @EventName}, or an older
 * version's upcaster.
 *
 * <pre>{@code
 * @Bean
 * HexbusEventTypes invoicingEvents() {
 *     return registry -> registry.register(InvoiceIssued.class).register(InvoicePaid.class);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HexbusEventTypes {

    /**
     * Registers event types; called once, on the thread that creates the registry bean.
     *
     * @param registry the application's registry
     * @throws io.hexbus.api.event.DuplicateEventTypeException if a name or type is already registered otherwise,
     *                                                          which fails the context
     */
    void register(EventTypeRegistry registry);
}
