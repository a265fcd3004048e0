package io.hexbus.spring.boot;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.EventHandler;

import java.util.Objects;

/**
 * One handler found on a bean, not yet registered. Immutable.
 *
 * @param subscription its stable subscription name
 * @param origin       where it was found, for messages ({@code bean 'mailer', method onInvoiceIssued})
 * @param eventType    the event type it handles
 * @param handler      what runs it
 * @param annotation   its annotation, or null
 */
record HandlerBean(String subscription, String origin, Class<? extends DomainEvent> eventType,
                   EventHandler<DomainEvent> handler, HexbusHandler annotation) {

    HandlerBean {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(handler, "handler");
    }
}
