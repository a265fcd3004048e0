package io.hexbus.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LedgerProgressStream} on the real broker: an admin polled often appends at most one sync marker per
 * interval to the ledger that every worker reads, and answers from its fold meanwhile.
 */
class LedgerProgressStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RabbitQueueSettings settings = RabbitQueueSettings.defaults("progress")
            .withPrefix(TestRabbit.uniquePrefix());
    private Connection connection;

    @BeforeEach
    void declare() throws Exception {
        connection = TestRabbit.factory().newConnection("hexbus-test-ledger-progress");
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(ledger(), true, false, false, Map.of("x-queue-type", "stream", "x-max-age", "1D"));
        }
    }

    @AfterEach
    void delete() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(ledger());
        } finally {
            connection.close();
        }
    }

    @Test
    void readsWithinTheIntervalAnswerFromTheFoldAndAppendNoMarker() {
        LedgerProgressStream progress = new LedgerProgressStream(connection, settings,
                new ReadThrottle(Duration.ofHours(1), System::nanoTime));
        String eventId = UUID.randomUUID().toString();
        assertTrue(progress.read(fold -> fold.of(eventId)).isEmpty(), "an empty ledger knows no event");
        claim(eventId);
        long before = endOffset();

        for (int call = 0; call < 5; call++) {
            assertTrue(progress.read(fold -> fold.of(eventId)).isEmpty(), "the fold as the first read left it");
        }

        assertEquals(before + 1, endOffset(), "no sync marker appended by the five calls");
        LedgerProgressStream unthrottled = new LedgerProgressStream(connection, settings,
                new ReadThrottle(Duration.ZERO, System::nanoTime));
        assertTrue(unthrottled.read(fold -> fold.of(eventId)).isPresent(), "the claim is there to be read");
    }

    private String ledger() {
        return settings.names().ledgerStream();
    }

    private void claim(String eventId) {
        new StreamLog(connection, ledger(), TIMEOUT).append(LedgerCodec.encode(List.of(
                new LedgerRecord.Claim(eventId, 0, "m-1", "worker-1", "parcel.shipped"))), "a claim");
    }

    private long endOffset() {
        return new StreamLog(connection, ledger(), TIMEOUT).readToEnd((offset, body) -> {
        }, 0);
    }
}
