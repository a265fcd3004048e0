package io.hexbus.spring.boot;

import org.springframework.context.annotation.Conditional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Matches when {@link HexbusTransportSelection} chooses one of these transports. A setting that cannot be read matches
 * nothing here; {@link HexbusAutoConfiguration} then fails the context naming it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(OnHexbusTransportCondition.class)
public @interface ConditionalOnHexbusTransport {

    /**
     * @return the transports, any of which matches
     */
    HexbusTransport[] value();
}
