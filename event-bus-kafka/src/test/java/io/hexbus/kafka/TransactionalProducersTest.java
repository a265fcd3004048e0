package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TransactionalProducers} without a broker: concurrent takers get producers of their own, up to the bound. */
class TransactionalProducersTest {

    private final AtomicInteger started = new AtomicInteger();
    private final List<String> closed = new ArrayList<>();

    private TransactionalProducers<String> pool(int max) {
        return new TransactionalProducers<>(() -> "producer-" + started.incrementAndGet(),
                (producer, timeout) -> {
                    synchronized (closed) {
                        closed.add(producer);
                    }
                }, max, "broker:9092");
    }

    @Test
    void concurrentTakersEachGetOneOfTheirOwnAndAGivenOneIsTakenAgain() {
        TransactionalProducers<String> pool = pool(3);

        String first = pool.take(Duration.ofSeconds(1));
        String second = pool.take(Duration.ofSeconds(1));
        pool.give(first);
        String third = pool.take(Duration.ofSeconds(1));

        assertNotSame(first, second);
        assertSame(first, third, "an idle one is reused before another is started");
        assertEquals(2, started.get());
    }

    @Test
    void pastTheBoundATakerWaitsForOneGivenBack() throws Exception {
        TransactionalProducers<String> pool = pool(1);
        String only = pool.take(Duration.ofSeconds(1));

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> pool.take(Duration.ofSeconds(30)));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(200, TimeUnit.MILLISECONDS),
                "no second producer past the bound");
        pool.give(only);

        assertSame(only, waiting.get(30, TimeUnit.SECONDS));
        assertEquals(1, started.get());
    }

    @Test
    void aWaitThatRunsOutFailsNamingTheCluster() {
        TransactionalProducers<String> pool = pool(1);
        pool.take(Duration.ofSeconds(1));

        TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                () -> pool.take(Duration.ofMillis(50)));

        assertTrue(e.getMessage().contains("broker:9092"), e.getMessage());
    }

    @Test
    void aDiscardedProducerIsClosedAndItsPlaceGoesToANewOne() {
        TransactionalProducers<String> pool = pool(1);
        String broken = pool.take(Duration.ofSeconds(1));

        pool.discard(broken);
        String next = pool.take(Duration.ofSeconds(1));

        assertEquals(List.of(broken), closed);
        assertEquals("producer-2", next);
    }

    @Test
    void aProducerThatCannotStartLeavesItsPlaceFree() {
        AtomicInteger tries = new AtomicInteger();
        TransactionalProducers<String> pool = new TransactionalProducers<>(() -> {
            if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("cluster down");
            }
            return "up";
        }, (producer, timeout) -> { }, 1, "broker:9092");

        assertThrows(IllegalStateException.class, () -> pool.take(Duration.ofSeconds(1)));

        assertEquals("up", pool.take(Duration.ofMillis(50)));
    }

    @Test
    void closingClosesTheIdleOnesAndThoseInUseWhenTheyComeBack() {
        TransactionalProducers<String> pool = pool(2);
        String inUse = pool.take(Duration.ofSeconds(1));
        String idle = pool.take(Duration.ofSeconds(1));
        pool.give(idle);

        pool.close(Duration.ofSeconds(1));
        assertEquals(List.of(idle), closed);
        pool.give(inUse);

        assertEquals(List.of(idle, inUse), closed);
        assertThrows(IllegalStateException.class, () -> pool.take(Duration.ofSeconds(1)));
        assertFalse(closed.isEmpty());
    }
}
