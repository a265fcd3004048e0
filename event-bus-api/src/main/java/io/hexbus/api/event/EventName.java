package io.hexbus.api.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable name of a {@link DomainEvent} type: its routing key and its type on the wire.
 *
 * <p>The name outlives the class: rename or move the class and keep the name, and events already in a
 * queue still reach their handlers. Names match {@value EventTypeRegistry#NAME_PATTERN}, for example
 * {@code billing.invoice-issued}. A name is read when the type is registered with an
 * {@link EventTypeRegistry}; a class name is never used in its place.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventName {

    /**
     * The event name.
     *
     * @return the name, matching {@value EventTypeRegistry#NAME_PATTERN}
     */
    String value();
}
