package io.hexbus.rabbitmq.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.hexbus.rabbitmq.RabbitNames;
import io.hexbus.rabbitmq.RetryTier;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The RabbitMQ every transport test talks to, found in this order: {@code RABBITMQ_URL} if set; else the broker on
 * {@code amqp://guest:guest@127.0.0.1:5672}; else the test fails saying how to get one. Never skipped. Tests share
 * it and isolate themselves with unique names ({@link #uniquePrefix}), deleting what they declared when done.
 */
public final class TestRabbit {

    /** The variable naming an external RabbitMQ, as an {@code amqp://} or {@code amqps://} URI. */
    public static final String URL_VARIABLE = "RABBITMQ_URL";

    private static final String LOCAL = "amqp://guest:guest@127.0.0.1:5672/%2F";

    private static final String HOW_TO_GET_RABBITMQ = "set " + URL_VARIABLE + "=amqp://user:password@host:5672/vhost"
            + " of a RabbitMQ 3.10+ broker (quorum queues and streams enabled), or start one on 127.0.0.1:5672 with"
            + " guest/guest (Debian: apt-get install rabbitmq-server; rabbitmq-server -detached)";

    private TestRabbit() {
    }

    /** @return the URI of the broker the tests use: {@code RABBITMQ_URL}, else the local one */
    public static String url() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? LOCAL : url;
    }

    /**
     * @return a factory for the tests' broker
     * @throws IllegalStateException if the URI is invalid or the broker cannot be reached, saying how to get one
     */
    public static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(url());
        } catch (Exception e) {
            throw new IllegalStateException(URL_VARIABLE + " is invalid: " + e.getMessage(), e);
        }
        factory.setConnectionTimeout(5_000);
        try (Connection ignored = factory.newConnection("hexbus-test-probe")) {
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException("no RabbitMQ for the tests at " + factory.getHost() + ":"
                    + factory.getPort() + " (" + e + "); " + HOW_TO_GET_RABBITMQ, e);
        }
    }

    /** @return a prefix no other test uses, for the names a test declares */
    public static String uniquePrefix() {
        return "hexbus-test-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /**
     * Deletes every queue and exchange {@code names} names, those of the bus (events and unrouted) included, whether
     * or not it exists: a test's cleanup. Each on a channel of its own, so one refusal does not stop the rest.
     *
     * @param names the names a test declared, with a prefix of its own ({@link #uniquePrefix})
     * @throws IllegalStateException if the broker cannot be reached, or refused a deletion, naming what
     */
    public static void deleteAll(RabbitNames names) {
        List<String> queues = new ArrayList<>(List.of(names.workQueue(), names.dueQueue(), names.poisonQueue(),
                names.ledgerStream(), names.deadLetterStream(), names.statsStream(), names.unroutedQueue()));
        for (RetryTier tier : RetryTier.values()) {
            queues.add(names.retryQueue(tier.label()));
        }
        List<String> failed = new ArrayList<>();
        try (Connection connection = factory().newConnection("hexbus-test-cleanup")) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (Exception e) {
                    failed.add("queue " + queue + ": " + e);
                }
            }
            for (String exchange : List.of(names.exchange(), names.unroutedExchange())) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                } catch (Exception e) {
                    failed.add("exchange " + exchange + ": " + e);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot clean up " + names + " on RabbitMQ: " + e, e);
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("could not delete " + failed);
        }
    }
}
