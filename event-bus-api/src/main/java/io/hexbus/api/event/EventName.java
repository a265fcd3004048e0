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
 *
 * <p>The {@link #version()} is the shape of the payload. Additive changes keep it (a component added later
 * reads as null, empty or the record's own default from older entries; a removed one is ignored); any other
 * change raises it by one and registers an {@link EventUpcaster} from the old version with
 * {@link EventTypeRegistry#upcaster(String, int, EventUpcaster)}. The name stays: it is the routing key.
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

    /**
     * The version of the payload's shape, written in every envelope of this type.
     *
     * @return the version, at least 1
     */
    int version() default 1;
}
