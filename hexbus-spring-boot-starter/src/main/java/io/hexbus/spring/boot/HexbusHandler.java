package io.hexbus.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event handler bean, registered with the {@link io.hexbus.api.handling.DomainEventsProcessor} when the
 * context has created its singletons and removed when it closes.
 *
 * <p>On a method of a bean: the method takes one parameter, the event type it handles (a
 * {@link io.hexbus.api.event.DomainEvent}), returns nothing, and signals failure by throwing. Its subscription is
 * {@link #subscription()}, else {@code <bean name>.<method name>}, which stays the same across restarts; a bean whose
 * name Spring generated (an inner bean, a {@code #0} suffix) has no stable name and is refused at start.
 *
 * <p>On a class implementing {@link io.hexbus.api.handling.EventHandler}, or on the {@code @Bean} method that returns
 * one: sets its subscription name and options. A bean implementing {@code EventHandler} without it is registered too,
 * named after its class as the processor names it; a lambda bean has no stable class name and needs this annotation
 * with a subscription.
 *
 * <p>{@code hexbus.subscriptions.<name>.*} overrides the options given here.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface HexbusHandler {

    /**
     * @return the stable subscription name; empty to derive it as the class documentation says
     */
    String subscription() default "";

    /**
     * @return retries after the first attempt on transports that retry; -1 (the default) keeps the default, 3
     */
    int maxRetries() default -1;

    /**
     * @return the wait before the first retry, doubling after, as Spring Boot writes durations ({@code 500ms},
     *         {@code 2s}); empty (the default) keeps 2 s
     */
    String initialBackoff() default "";

    /**
     * @return how long one attempt may run before it counts as failed ({@code 10s}); empty (the default) keeps 30 s
     */
    String timeout() default "";

    /**
     * @return at most this many handler runs per {@link #rateLimitPer()}, counted across the application's workers,
     *         for a handler that calls a rate-limited API; enforced on Redis (an event over the limit waits, its
     *         attempts unchanged), refused by Kafka and RabbitMQ at worker start, ignored in memory; 0 (the default)
     *         for no limit
     */
    int rateLimit() default 0;

    /**
     * @return the rate limit's sliding window, as Spring Boot writes durations ({@code 1s}, {@code 1m}), at least
     *         1 ms; empty (the default) for 1 s
     */
    String rateLimitPer() default "";
}
