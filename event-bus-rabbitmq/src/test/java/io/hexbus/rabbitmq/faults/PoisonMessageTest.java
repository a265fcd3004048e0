package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.ParcelSent;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages no hexbus publisher writes, published to the bus's exchange with a plain channel as a buggy or hostile
 * producer would, each followed by a good event: every one is dead-lettered once with its reason, no handler runs on
 * it, and the worker goes on with the good events behind it. The RabbitMQ headers' own faults (a progress that does
 * not parse, a negative round, a tier naming no tier) and what the engine refuses (no name header, no id header, a
 * body that is not JSON, an envelope over the size limit).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PoisonMessageTest {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonMessageTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final FaultQueue queue = FaultQueue.create(TestRabbit.url(), Duration.ofSeconds(5));
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<UUID> handled = new CopyOnWriteArrayList<>();
    private final List<UUID> good = new ArrayList<>();

    /** A poison message and what its dead letter's error must say. */
    private record Poison(String what, String reason) {
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        } finally {
            queue.delete();
        }
    }

    private static String envelope(UUID id, String payload) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"name\":\"" + ParcelSent.NAME + "\",\"occurredAt\":"
                + "\"2026-11-23T10:00:00Z\",\"publishedAt\":\"2026-11-23T10:00:00Z\",\"metadata\":null,\"payload\":"
                + payload + "}";
    }

    private static Map<String, Object> headers(UUID id) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("hexbus-name", ParcelSent.NAME);
        headers.put("hexbus-id", id.toString());
        return headers;
    }

    @Test
    void everyPoisonMessageIsDeadLetteredWithItsReasonAndTheWorkerGoesOn() throws Exception {
        DomainEventsProcessor processor = FaultQueue.processor();
        processor.register(ParcelSent.class, "parcels", (ParcelSent e) -> handled.add(e.eventId()));
        RabbitTransport transport = queue.connect(processor, 2);
        resources.add(transport);
        transport.startWorker();
        Connection raw = TestRabbit.factory().newConnection("hexbus-test-foreign-producer");
        resources.add(raw);
        Channel channel = raw.createChannel();
        channel.confirmSelect();
        List<Poison> poisons = new ArrayList<>();

        UUID id = EventIds.newId();
        Map<String, Object> headers = headers(id);
        headers.put("hexbus-progress", "this is not a progress");
        write(transport, channel, headers, envelope(id, "{\"number\":1}"));
        poisons.add(new Poison("a progress header that does not parse", "header hexbus-progress cannot be read"));

        id = EventIds.newId();
        headers = headers(id);
        headers.put("hexbus-round", -1);
        write(transport, channel, headers, envelope(id, "{\"number\":1}"));
        poisons.add(new Poison("a negative round", "header hexbus-round is -1, not a round number"));

        id = EventIds.newId();
        headers = headers(id);
        headers.put("hexbus-tier", "2s");
        write(transport, channel, headers, envelope(id, "{\"number\":1}"));
        poisons.add(new Poison("a tier naming no tier", "header hexbus-tier names no retry tier: '2s'"));

        id = EventIds.newId();
        headers = headers(id);
        headers.remove("hexbus-name");
        write(transport, channel, headers, envelope(id, "{\"number\":1}"));
        poisons.add(new Poison("no name header", "has no event name"));

        id = EventIds.newId();
        headers = headers(id);
        headers.remove("hexbus-id");
        write(transport, channel, headers, envelope(id, "{\"number\":1}"));
        poisons.add(new Poison("no id header", "is routed as " + ParcelSent.NAME + " ''"));

        id = EventIds.newId();
        write(transport, channel, headers(id), "this is not JSON");
        poisons.add(new Poison("a body that is not JSON", "envelope is not valid JSON"));

        id = EventIds.newId();
        write(transport, channel, headers(id), envelope(id, "{\"number\":1,\"pad\":\"" + "x".repeat(1 << 20)
                + "\"}"));
        poisons.add(new Poison("over the size limit", "over the limit of 1048576 bytes"));

        await().atMost(WAIT).until(() -> handled.containsAll(good));
        List<DeadLetter> dead = await().atMost(WAIT).until(() -> transport.admin().deadLetters(0, 100).items(),
                d -> d.size() >= poisons.size());
        for (Poison poison : poisons) {
            List<DeadLetter> matching = dead.stream().filter(d -> d.lastError().contains(poison.reason())).toList();
            assertTrue(!matching.isEmpty(), () -> poison.what() + ": no dead letter says '" + poison.reason()
                    + "' among " + dead.stream().map(DeadLetter::lastError).toList());
            LOG.info("{}: dead-lettered for {} after {} attempt(s): {}", poison.what(),
                    matching.get(0).failedSubscriptions(), matching.get(0).attempts(),
                    matching.get(0).lastError().lines().findFirst().orElse(""));
        }
        QueueStats stats = await().atMost(WAIT).until(() -> transport.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.completed() == good.size());
        LOG.info("{} poison messages, {} good events: {}; lost 0, repeated {}, pending 0", poisons.size(),
                good.size(), stats, handled.size() - good.size());
        assertEquals(poisons.size(), dead.size(), "each poison message dead-lettered once");
        assertEquals(poisons.size(), stats.deadLettered());
        // Each once, in any order (the worker runs 4 at once; RabbitMQ does not claim an order).
        assertEquals(good.size(), handled.size(), "each good event once; no handler ran on a poison message");
        assertEquals(new java.util.HashSet<>(good), new java.util.HashSet<>(handled), "the good events");
    }

    /** Publishes a raw message as a foreign producer would (its own message id), then a good event behind it. */
    private void write(RabbitTransport transport, Channel channel, Map<String, Object> headers, String body)
            throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                .messageId(UUID.randomUUID().toString()).headers(headers).build();
        channel.basicPublish(queue.settings().names().exchange(), ParcelSent.NAME, properties,
                body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(10_000);
        ParcelSent next = ParcelSent.numbered(good.size() + 1);
        transport.eventBus().publish(next);
        good.add(next.eventId());
    }
}
