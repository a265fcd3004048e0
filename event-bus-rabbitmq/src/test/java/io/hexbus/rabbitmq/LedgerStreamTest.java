package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.rabbitmq.Ledger.Verdict;
import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger stream on a real broker: workers agree on one winner, a later reader sees the history, failures. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LedgerStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long WINDOW = Duration.ofHours(2).toMillis();

    private final String stream = TestRabbit.uniquePrefix() + ".ledger";
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Connection connection;

    @BeforeEach
    void declareTheStream() throws Exception {
        connection = TestRabbit.factory().newConnection("hexbus-test-ledger");
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(stream, true, false, false, Map.of("x-queue-type", "stream"));
        }
    }

    @AfterEach
    void deleteTheStream() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(stream);
        }
        connection.close();
    }

    @Test
    void twoWorkersClaimingTheSameRoundsAtOnceAgreeOnOneWinnerEach() throws Exception {
        LedgerStream first = open();
        LedgerStream second = open();
        int lineages = 20;
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> claimEach(first, "a", lineages, together));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> claimEach(second, "b", lineages, together));
        a.get(1, TimeUnit.MINUTES);
        b.get(1, TimeUnit.MINUTES);

        for (int i = 0; i < lineages; i++) {
            String lineage = "event " + i + "/ünï\n";
            Verdict firstOfA = first.ledger().classify(lineage, 0, "a-" + i);
            Verdict firstOfB = first.ledger().classify(lineage, 0, "b-" + i);
            // Exactly one of the two messages owns the round, in both workers' folds.
            assertTrue(firstOfA.equals(new Verdict.Owned()) ^ firstOfB.equals(new Verdict.Owned()),
                    firstOfA + " " + firstOfB);
            assertEquals(firstOfA, second.ledger().classify(lineage, 0, "a-" + i));
            assertEquals(firstOfB, second.ledger().classify(lineage, 0, "b-" + i));
        }
    }

    @Test
    void aWorkerOpenedLaterReadsTheWholeHistory() {
        LedgerStream writer = open();
        writer.appendAndAwait(List.of(new Claim("e1", 0, "m1"), new Claim("e2", 0, "m2")));
        writer.append(List.of(new Settle("e1", 0, Outcome.RETRY, "1;0;;;a=1,;a=1000,;boom")));
        writer.append(List.of(new Claim("e1", 1, "m3")));
        writer.append(List.of(new Settle("e2", 0, Outcome.DONE, null)));

        LedgerStream later = open();

        Ledger ledger = later.ledger();
        assertEquals(new Verdict.Finished(Outcome.RETRY), ledger.classify("e1", 0, "m1"));
        assertEquals(new Verdict.Owned(), ledger.classify("e1", 1, "m3"));
        assertEquals(new Verdict.Finished(Outcome.DONE), ledger.classify("e2", 0, "m9"));
        assertEquals(0, later.undecodable());
    }

    @Test
    void aMessageTheCodecCannotReadIsCountedAndSkipped() throws Exception {
        LedgerStream writer = open();
        writer.append(List.of(new Claim("before", 0, "m1")));
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", stream, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                    "{\"not\":\"a ledger record\"}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
        }
        writer.append(List.of(new Claim("after", 0, "m2")));

        LedgerStream reader = open();

        assertEquals(1, reader.undecodable());
        assertEquals(new Verdict.Owned(), reader.ledger().classify("before", 0, "m1"));
        assertEquals(new Verdict.Owned(), reader.ledger().classify("after", 0, "m2"));
        await().atMost(TIMEOUT).until(() -> writer.undecodable() == 1);
    }

    @Test
    void appendingAfterCloseFailsNamingTheStream() {
        LedgerStream closed = open();
        closed.close();
        closed.close(); // idempotent

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> closed.append(List.of(new Claim("e1", 0, "m1"))));
        assertTrue(refused.getMessage().contains("'" + stream + "' is closed"), refused.getMessage());
        assertThrows(TransportUnavailableException.class,
                () -> closed.appendAndAwait(List.of(new Claim("e1", 0, "m1"))));
    }

    @Test
    void onceTheStreamIsDeletedEveryCallFailsInsteadOfHanging() throws Exception {
        LedgerStream orphan = open();
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(stream);
        }

        // The tail's cancellation, or the unroutable append, whichever comes first.
        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> orphan.appendAndAwait(List.of(new Claim("e1", 0, "m1"))));
        assertTrue(refused.getMessage().contains("'" + stream + "'"), refused.getMessage());
        await().atMost(TIMEOUT).untilAsserted(() -> {
            TransportUnavailableException stopped = assertThrows(TransportUnavailableException.class,
                    () -> orphan.append(List.of(new Claim("e2", 0, "m2"))));
            assertTrue(stopped.getMessage().contains("stopped"), stopped.getMessage());
        });
    }

    @Test
    void onceItsConnectionDropsEveryCallFailsInsteadOfHanging() throws Exception {
        Connection dropped = TestRabbit.factory().newConnection("hexbus-test-ledger-dropped");
        LedgerStream orphan = LedgerStream.open(dropped, stream, new Ledger(WINDOW, 1000), TIMEOUT);
        opened.add(orphan);
        dropped.abort(); // closes without throwing, as a lost connection does

        TransportUnavailableException stopped = assertThrows(TransportUnavailableException.class,
                () -> orphan.appendAndAwait(List.of(new Claim("e1", 0, "m1"))));
        assertTrue(stopped.getMessage().contains("'" + stream + "' stopped"), stopped.getMessage());
        assertThrows(TransportUnavailableException.class, () -> orphan.append(List.of(new Claim("e1", 0, "m1"))));
    }

    @Test
    void theLedgerForgetsByTheAppendTimeItsWriterStamped() throws Exception {
        LedgerStream writer = open();
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            long longAgo = System.currentTimeMillis() - WINDOW - 60_000;
            channel.basicPublish("", stream, new AMQP.BasicProperties.Builder().deliveryMode(2)
                            .headers(Map.of(LedgerStream.APPENDED_AT, longAgo)).build(),
                    LedgerCodec.encode(List.of(new Claim("long ago", 0, "m1"))));
            channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
        }
        writer.appendAndAwait(List.of(new Claim("now", 0, "m2")));

        // Applied at its stamp, then forgotten by the next record's, a window later.
        assertEquals(new Verdict.Unclaimed(), writer.ledger().classify("long ago", 0, "m1"));
        assertEquals(new Verdict.Owned(), writer.ledger().classify("now", 0, "m2"));
    }

    @Test
    void anEmptyAppendIsRefused() {
        LedgerStream writer = open();

        assertThrows(IllegalArgumentException.class, () -> writer.append(List.of()));
    }

    @Test
    void openingAStreamThatDoesNotExistFailsNamingIt() {
        String missing = stream + "-missing";
        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> LedgerStream.open(connection, missing, new Ledger(WINDOW, 1000), TIMEOUT));
        assertTrue(refused.getMessage().contains("'" + missing + "'"), refused.getMessage());
        assertTrue(connection.isOpen());
    }

    private LedgerStream open() {
        LedgerStream ledgerStream = LedgerStream.open(connection, stream, new Ledger(WINDOW, 10_000), TIMEOUT);
        opened.add(ledgerStream);
        return ledgerStream;
    }

    private static void claimEach(LedgerStream worker, String name, int lineages, CyclicBarrier together) {
        try {
            for (int i = 0; i < lineages; i++) {
                together.await(30, TimeUnit.SECONDS);
                worker.appendAndAwait(List.of(new Claim("event " + i + "/ünï\n", 0, name + "-" + i)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
