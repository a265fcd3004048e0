package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.Runs;
import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.api.testing.ChildJvms;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message whose handler kills every worker JVM that takes it (it halts the JVM, as a crash would), on the shared test
 * RabbitMQ: worker JVMs are started one after the other until it is dead-lettered, by the engine past its most
 * takeovers or, as a backstop, by the broker's delivery limit through the poison queue; the worker then left handles
 * the good events published next. The test logs how many workers it killed and the dead letter's reason: on this
 * build the broker's limit decides (the engine's count of takeovers starts again at each redelivery).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KillerMessageTest {

    // Small heaps and C1 only: several worker JVMs share two cores with the broker.
    private static final List<String> WORKER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Logger LOG = LoggerFactory.getLogger(KillerMessageTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_TAKEOVERS = 1;
    private static final int DELIVERY_LIMIT = 3;

    private final FaultQueue queue = FaultQueue.create(TestRabbit.url(), Duration.ofSeconds(5))
            .withLimits(MAX_TAKEOVERS, DELIVERY_LIMIT);
    private final ChildJvms jvms = new ChildJvms();
    private RabbitTransport admin;

    @AfterEach
    void stopEverything() {
        try {
            jvms.close();
        } finally {
            try {
                if (admin != null) {
                    admin.close();
                }
            } finally {
                queue.delete();
            }
        }
    }

    @Test
    void aMessageKillingEveryWorkerThatTakesItIsDeadLetteredAndTheGoodEventsAreHandled() throws Exception {
        admin = queue.connect(FaultQueue.processor(), 1); // declares the queues; no worker
        ParcelSent killer = ParcelSent.numbered(1);
        admin.eventBus().publish(killer);

        Path runs = TestLogs.file("runs");
        List<String> args = new ArrayList<>(List.of(runs.toString(), "0", "1", "1"));
        args.addAll(queue.args());
        int killed = 0;
        Optional<DeadLetter> dead = Optional.empty();
        while (dead.isEmpty()) {
            assertTrue(killed <= DELIVERY_LIMIT + 1, () -> "still not dead-lettered after " + DELIVERY_LIMIT + 1
                    + " workers killed");
            Process worker = jvms.start(TestLogs.file("worker-" + (killed + 1)), WORKER_JVM, WorkerMain.class, args);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !worker.isAlive() || admin.admin().deadLetter(killer.eventId()).isPresent());
            if (!worker.isAlive()) {
                killed++;
            }
            dead = admin.admin().deadLetter(killer.eventId());
        }
        DeadLetter letter = dead.orElseThrow();
        LOG.info("The killer message killed {} worker JVMs (engine maxTakeovers {}, queue x-delivery-limit {}), then"
                + " was dead-lettered for {} after {} attempt(s): {}", killed, MAX_TAKEOVERS, DELIVERY_LIMIT,
                letter.failedSubscriptions(), letter.attempts(), letter.lastError().lines().findFirst().orElse(""));
        assertTrue(killed >= 1, "it killed a worker at least once");
        assertTrue(letter.lastError().contains("taken over"), letter.lastError());

        // Published only now: a good event read ahead by a worker the killer halts is given back with it, and
        // counts a delivery too, so with limits this low it would share the killer's fate.
        List<ParcelSent> good = new ArrayList<>();
        for (int number = 2; number <= 6; number++) {
            ParcelSent event = ParcelSent.numbered(number);
            admin.eventBus().publish(event);
            good.add(event);
        }

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Runs.read(List.of(runs)).finished("bill").containsAll(
                        good.stream().map(ParcelSent::eventId).toList()));
        QueueStats stats = await().atMost(WAIT).until(() -> admin.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.completed() >= good.size());
        LOG.info("Stats: {}; lost 0, pending 0", stats);
        assertEquals(1, stats.deadLettered());
        assertEquals(good.size(), stats.completed(), "the good events each counted once");
    }
}
