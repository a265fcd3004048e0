package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every broker call's failure in the API's terms, naming the broker and quoting its reason. */
class RabbitCallsTest {

    private final Connection connection = RabbitConnectionSettings.parse(TestRabbit.url())
            .connect("hexbus-test calls", Duration.ofSeconds(10));

    @AfterEach
    void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }

    @Test
    void aRefusalOfTheBrokerIsUnavailableQuotingItsReplyAndLeavesTheConnectionOpen() {
        String missing = TestRabbit.uniquePrefix() + ".missing";

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> RabbitCalls.onNewChannel(connection, "reading queue " + missing,
                        channel -> channel.queueDeclarePassive(missing)));

        assertTrue(refused.getMessage().startsWith("reading queue " + missing + ": RabbitMQ at "), refused.getMessage());
        assertTrue(refused.getMessage().contains("channel closed by the broker: NOT_FOUND - no queue '" + missing + "'"),
                refused.getMessage());
        assertTrue(connection.isOpen());
        boolean open = RabbitCalls.onNewChannel(connection, "another call", channel -> channel.isOpen());
        assertTrue(open, "a later call runs on a channel of its own");
    }

    @Test
    void aWaitThatRanOutIsATimeout() {
        TransportUnavailableException timedOut = assertThrows(TransportUnavailableException.class,
                () -> RabbitCalls.onNewChannel(connection, "waiting", channel -> {
                    throw new TimeoutException("no confirm");
                }));

        assertEquals(TransportTimeoutException.class, timedOut.getClass());
        assertTrue(timedOut.getMessage().contains("did not answer in time: TimeoutException: no confirm"),
                timedOut.getMessage());
    }

    @Test
    void aClosedConnectionIsUnavailable() throws Exception {
        connection.close();

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> RabbitCalls.onNewChannel(connection, "declaring", channel -> null));

        assertTrue(refused.getMessage().contains("connection already closed by this process"), refused.getMessage());
    }
}
