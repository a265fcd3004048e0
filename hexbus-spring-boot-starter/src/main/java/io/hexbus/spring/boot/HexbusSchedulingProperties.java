package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Recurring events under {@code hexbus.scheduling.*}, with {@code event-bus-scheduling} on the class path. Checked
 * when bound: a wrong value fails the context with a message naming the property. Immutable.
 *
 * @param enabled      false leaves the scheduler out (no {@code RecurringEvents} bean); default true
 * @param catchUpBound how old a tick missed while no instance ran may be and still fire at start; at most half the
 *                     transport's dedupe window. Unset: one day, lowered to half the window (12 h on Kafka and
 *                     RabbitMQ)
 */
@ConfigurationProperties("hexbus.scheduling")
public record HexbusSchedulingProperties(@DefaultValue("true") boolean enabled, Duration catchUpBound) {

    /**
     * Checks the values.
     *
     * @param enabled      whether the scheduler runs
     * @param catchUpBound the catch-up bound, or null when unset
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusSchedulingProperties {
        if (catchUpBound != null && catchUpBound.isNegative()) {
            throw new IllegalArgumentException("hexbus.scheduling.catch-up-bound=" + catchUpBound
                    + " is not allowed: use 0 (never catch up) or more");
        }
    }
}
