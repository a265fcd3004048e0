package io.hexbus.adapters.guice;

import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link io.hexbus.api.publishing.EventBus} of the transport itself, which every transport module binds. The
 * plain {@code EventBus}, the one use cases get, is that bus by default ({@code OptionalBinder}); the outbox
 * ({@code OutboxModule}) sets it to the bus that writes to the outbox table, and its relay forwards to this one.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
public @interface TransportBus {
}
