package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The RabbitMQ queue's settings under {@code hexbus.rabbitmq.*}, mapped onto
 * {@code io.hexbus.rabbitmq.RabbitQueueSettings} and {@code RabbitWorkerSettings}; each unset one keeps that record's
 * default. Where RabbitMQ is: {@code url}, else the Guice app's variables ({@code RABBITMQ_URL},
 * {@code RABBITMQ_USER}, {@code RABBITMQ_PASSWORD}, {@code RABBITMQ_VHOST}, the TLS truststore), else
 * {@code amqp://localhost} as guest. Immutable; {@link #toString()} shows no password.
 *
 * @param url             {@code amqp://[user:password@]host[:port][/vhost]}, or {@code amqps://} for TLS
 * @param prefix          the bus's prefix, the start of every exchange and queue name (default {@code hexbus})
 * @param commandTimeout  how long a call to RabbitMQ (a publish's confirm included) may take
 * @param consumerTimeout the broker's {@code consumer_timeout} when it is not RabbitMQ's default of 30 minutes
 * @param concurrency     events one worker handles at once, 1 to 1000
 */
@ConfigurationProperties("hexbus.rabbitmq")
public record HexbusRabbitProperties(String url, String prefix, Duration commandTimeout, Duration consumerTimeout,
                                     Integer concurrency) {

    /**
     * Checks the values that need no RabbitMQ type.
     *
     * @param url             the URL, or null
     * @param prefix          the prefix, or null
     * @param commandTimeout  the command timeout, or null
     * @param consumerTimeout the broker's consumer timeout, or null
     * @param concurrency     events one worker handles at once, or null
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusRabbitProperties {
        PropertyChecks.positive("hexbus.rabbitmq.command-timeout", commandTimeout);
        PropertyChecks.positive("hexbus.rabbitmq.consumer-timeout", consumerTimeout);
        PropertyChecks.range("hexbus.rabbitmq.concurrency", concurrency, 1, 1_000);
    }

    @Override
    public String toString() {
        return "HexbusRabbitProperties[url=" + (url == null ? null : "(set)") + ", prefix=" + prefix
                + ", commandTimeout=" + commandTimeout + ", consumerTimeout=" + consumerTimeout + ", concurrency="
                + concurrency + "]";
    }
}
