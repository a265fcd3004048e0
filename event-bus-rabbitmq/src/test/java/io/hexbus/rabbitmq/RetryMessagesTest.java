package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The messages a worker writes back read back as what they continue: lineage, round, progress, wait, tier. */
class RetryMessagesTest {

    private final RabbitNames names = new RabbitNames("bus", "billing");
    private final RetryMessages messages = new RetryMessages(names);
    private final String eventId = UUID.randomUUID().toString();

    @Test
    void aRetryGoesToTheLongestTierNotPastItsWaitAndReadsBackAsItsNextRound() {
        RabbitMessage first = read(new AMQP.BasicProperties.Builder().messageId("m-1").headers(Map.of(
                Wire.NAME, "invoice.issued", Wire.ID, eventId, Wire.PUBLISHED_AT, "2026-12-04T10:00:00Z")).build());

        ConfirmedPublisher.Outgoing retry = messages.toTier(first, 1, "1;0;;;a=1,;a=5000,;boom", 5_000);

        assertEquals("", retry.exchange());
        assertEquals(names.retryQueue("4s"), retry.routingKey());
        assertEquals(2, retry.properties().getDeliveryMode());
        RabbitMessage read = read(retry.properties(), retry.body());
        assertNotEquals("m-1", read.messageId(), "a new message, for the ledger to tell copies from rounds");
        assertEquals(new RabbitMessage(read.messageId(), "invoice.issued", eventId, eventId, 1,
                "1;0;;;a=1,;a=5000,;boom", Set.of(), 5_000, "4s",
                Instant.parse("2026-12-04T10:00:00Z").toEpochMilli(), "{\"x\":1}", 0), read);
    }

    @Test
    void aDeadLetterRetryIsANewLineageForItsSubscriptionsDueAtOnce() {
        UUID id = UUID.randomUUID();

        ConfirmedPublisher.Outgoing retry = messages.deadLetterRetry("invoice.issued", id, "{\"x\":1}",
                List.of("mailer", "ledger-sync"), "42-1700000000000");

        assertEquals(names.dueQueue(), retry.routingKey());
        RabbitMessage read = read(retry.properties(), retry.body());
        assertEquals(id + "/42-1700000000000", read.lineage());
        assertEquals(0, read.round());
        assertEquals(Set.of("mailer", "ledger-sync"), read.only());
        assertNull(read.progress());
        assertNull(read.tier());
        assertEquals(id.toString(), read.eventId());
    }

    private static RabbitMessage read(AMQP.BasicProperties properties) {
        return read(properties, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    }

    private static RabbitMessage read(AMQP.BasicProperties properties, byte[] body) {
        return RabbitMessage.of(properties, body);
    }
}
