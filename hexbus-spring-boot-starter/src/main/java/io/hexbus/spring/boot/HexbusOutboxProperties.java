package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox's settings under {@code hexbus.outbox.*}, read when {@code event-bus-outbox-jdbc}, {@code spring-jdbc}
 * and one {@code DataSource} are in the context. Immutable.
 *
 * @param enabled {@code false} leaves the outbox out: use cases then publish to the transport at once (default
 *                {@code true})
 * @param migrate {@code false} when the application runs the outbox's SQL in its own migrations
 *                ({@code OutboxSchema.scripts()}); else the outbox's own Flyway migrations run at start (default
 *                {@code true})
 * @since 0.1.0
 */
@ConfigurationProperties("hexbus.outbox")
public record HexbusOutboxProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean migrate) {
}
