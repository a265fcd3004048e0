package io.hexbus.inmemory;

import io.hexbus.api.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocation-free dedupe window against a plain reference model of the same rules. */
class RecentEventIdsTest {

    @Test
    void agreesWithAReferenceModelOverManyRandomOperations() {
        int capacity = 7;
        long window = 50;
        MutableClock clock = new MutableClock(Instant.EPOCH);
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(capacity, Duration.ofMillis(window), true),
                clock);
        Map<UUID, Long> model = new LinkedHashMap<>(); // insertion order = age order
        List<UUID> pool = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            pool.add(new UUID(random.nextLong(), random.nextLong()));
        }

        for (int step = 0; step < 200_000; step++) {
            clock.advance(Duration.ofMillis(random.nextInt(3)));
            UUID id = pool.get(random.nextInt(pool.size()));
            for (Iterator<Long> at = model.values().iterator(); at.hasNext(); ) {
                if (clock.millis() - at.next() >= window) {
                    at.remove();
                } else {
                    break;
                }
            }
            boolean expected = !model.containsKey(id);
            if (expected) {
                if (model.size() == capacity) {
                    model.remove(model.keySet().iterator().next());
                }
                model.put(id, clock.millis());
            }

            assertEquals(expected, ids.markSeen(id), "step " + step);
        }
        assertEquals(model.size(), ids.size());
    }

    @Test
    void aStripedWindowStaysWithinItsCapacity() {
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(100_000, Duration.ofDays(1), true),
                Clock.systemUTC());
        for (int i = 0; i < 400_000; i++) {
            ids.markSeen(UUID.randomUUID());
        }

        assertTrue(ids.size() <= 100_000, () -> "size " + ids.size());
        assertTrue(ids.size() >= 99_000, () -> "each stripe fills up: size " + ids.size());
    }

    @Test
    void aStripedWindowRemembersRecentIds() {
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(10_000, Duration.ofDays(1), true),
                Clock.systemUTC());
        List<UUID> recent = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            UUID id = UUID.randomUUID();
            recent.add(id);
            assertTrue(ids.markSeen(id));
        }

        assertTrue(recent.stream().noneMatch(ids::markSeen), "all 5,000 are within a 10,000 window");
    }

    @Test
    void aStripedWindowRemembersItsNewestIdsWhileItForgetsTheOldest() {
        assertRemembersNewestWhileForgettingOldest(100_000, 300_000, 40_000);
    }

    /** 37,500 ids a stripe: more than an index entry's tag can place, so deleting reads the hashes from the ring. */
    @Test
    void aWindowTooLargeForItsIndexTagsStillRemembersItsNewestIds() {
        assertRemembersNewestWhileForgettingOldest(600_000, 1_500_000, 250_000);
    }

    @Test
    void twoThreadsMarkingTheSameIdsAcceptEachIdOnce() throws Exception {
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(100_000, Duration.ofDays(1), true),
                Clock.systemUTC());
        List<UUID> shared = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            shared.add(UUID.randomUUID());
        }
        CountDownLatch start = new CountDownLatch(1);
        Callable<Integer> marker = () -> {
            start.await();
            int accepted = 0;
            for (UUID id : shared) {
                accepted += ids.markSeen(id) ? 1 : 0;
            }
            return accepted;
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = threads.submit(marker);
            Future<Integer> second = threads.submit(marker);
            start.countDown();

            assertEquals(shared.size(), first.get(1, TimeUnit.MINUTES) + second.get(1, TimeUnit.MINUTES));
            assertEquals(shared.size(), ids.size());
        } finally {
            threads.shutdownNow();
        }
    }

    private static void assertRemembersNewestWhileForgettingOldest(int capacity, int published, int newest) {
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(capacity, Duration.ofDays(1), true),
                Clock.systemUTC());
        Random random = new Random(7);
        List<UUID> all = new ArrayList<>(published);
        for (int i = 0; i < published; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            all.add(id);
            assertTrue(ids.markSeen(id));
        }

        List<UUID> recent = all.subList(published - newest, published);
        assertTrue(recent.stream().noneMatch(ids::markSeen), "the newest are within the window");
        assertTrue(all.subList(0, 1_000).stream().allMatch(ids::markSeen), "the oldest were forgotten by count");
        assertTrue(ids.size() <= capacity, () -> "size " + ids.size());
    }
}
