package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HandledIds} without a broker: the window, the bound and its order, re-adding, a million ids and their
 * memory, and random runs against a plain reference model of the same rules.
 */
class HandledIdsTest {

    private static final long WINDOW = 60_000;
    private static final long T0 = 1_700_000_000_000L;

    private final SplittableRandom random = new SplittableRandom(15);

    @Test
    void anAddedIdIsContainedAndAnotherIsNot() {
        HandledIds ids = new HandledIds(WINDOW, 10);
        UUID handled = UUID.randomUUID();

        ids.add(handled, T0);

        assertTrue(ids.contains(handled, T0));
        assertFalse(ids.contains(UUID.randomUUID(), T0));
        assertEquals(1, ids.size());
    }

    @Test
    void anIdIsContainedUntilTheWindowHasPassedSinceItWasHandled() {
        HandledIds ids = new HandledIds(WINDOW, 10);
        UUID id = UUID.randomUUID();
        ids.add(id, T0);

        assertTrue(ids.contains(id, T0 + WINDOW - 1));
        assertFalse(ids.contains(id, T0 + WINDOW));
        assertFalse(ids.contains(id, T0 + 10 * WINDOW));
    }

    @Test
    void anIdHandledLongerAgoThanTheWindowIsNotReportedEvenWhenAddedNow() {
        HandledIds ids = new HandledIds(WINDOW, 10);
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();

        ids.add(recent, T0);
        ids.add(old, T0 - WINDOW - 1); // out of time order, as a restore may read it

        assertFalse(ids.contains(old, T0));
        assertTrue(ids.contains(recent, T0));
    }

    @Test
    void pastTheBoundTheIdsAddedFirstAreForgottenFirst() {
        HandledIds ids = new HandledIds(WINDOW, 3);
        List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            added.add(id);
            ids.add(id, T0 + i);
        }

        assertFalse(ids.contains(added.get(0), T0 + 5));
        assertFalse(ids.contains(added.get(1), T0 + 5));
        for (UUID kept : added.subList(2, 5)) {
            assertTrue(ids.contains(kept, T0 + 5));
        }
        assertEquals(3, ids.size());
    }

    @Test
    void reAddingAnIdKeepsTheLaterTimeAndItsPlaceInTheForgettingOrder() {
        HandledIds ids = new HandledIds(WINDOW, 2);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        ids.add(first, T0);
        ids.add(second, T0 + 1);

        ids.add(first, T0 + 1_000);
        ids.add(first, T0 + 500); // an earlier time does not shorten it

        assertEquals(2, ids.size(), "one entry per id");
        assertTrue(ids.contains(first, T0 + WINDOW + 999), "judged by its later time");
        assertFalse(ids.contains(first, T0 + WINDOW + 1_000));

        UUID third = UUID.randomUUID();
        ids.add(third, T0 + 2_000);
        assertFalse(ids.contains(first, T0 + 2_000), "still first to be forgotten");
        assertTrue(ids.contains(second, T0 + 2_000));
        assertTrue(ids.contains(third, T0 + 2_000));
    }

    @Test
    void addingForgetsTheExpiredIdsAtTheHeadAndSoDoesHousekeeping() {
        HandledIds ids = new HandledIds(WINDOW, 100);
        for (int i = 0; i < 10; i++) {
            ids.add(UUID.randomUUID(), T0 + i);
        }

        ids.add(UUID.randomUUID(), T0 + WINDOW + 4); // the first five are older than the window by now
        assertEquals(6, ids.size());

        ids.forgetExpired(T0 + 2 * WINDOW + 4);
        assertEquals(0, ids.size());
    }

    @Test
    void aMillionIdsAreAllRememberedInAboutThirtyTwoBytesEachAndTheNextForgetsTheFirst() {
        int million = 1_000_000;
        HandledIds ids = new HandledIds(WINDOW, million);
        long[] msbs = new long[million];
        long[] lsbs = new long[million];
        for (int i = 0; i < million; i++) {
            msbs[i] = random.nextLong();
            lsbs[i] = random.nextLong();
            ids.add(new UUID(msbs[i], lsbs[i]), T0);
        }

        assertEquals(million, ids.size());
        assertEquals(million, ids.capacity(), "grown up to the bound, not past it");
        for (int i = 0; i < million; i++) {
            if (!ids.contains(new UUID(msbs[i], lsbs[i]), T0)) {
                throw new AssertionError("id " + i + " was forgotten");
            }
        }
        for (int i = 0; i < 10_000; i++) {
            assertFalse(ids.contains(new UUID(random.nextLong(), random.nextLong()), T0));
        }
        // 24 bytes of ring and at most 16 of index per id; a million is 2^20 - 48,576, so 8.4 bytes of index.
        double bytesPerId = (double) ids.bytes() / million;
        assertTrue(bytesPerId >= 32 && bytesPerId < 33, "bytes per id: " + bytesPerId);

        ids.add(UUID.randomUUID(), T0 + 1);
        assertFalse(ids.contains(new UUID(msbs[0], lsbs[0]), T0 + 1));
        assertTrue(ids.contains(new UUID(msbs[1], lsbs[1]), T0 + 1));
        assertEquals(million, ids.size());
    }

    @Test
    void theArraysGrowWithTheIdsNotWithTheBound() {
        HandledIds ids = new HandledIds(WINDOW, 1_000_000);
        long empty = ids.bytes();
        for (int i = 0; i < 5_000; i++) {
            ids.add(UUID.randomUUID(), T0);
        }

        assertTrue(empty <= 1_024 * 40L, "an empty one takes " + empty + " bytes");
        assertEquals(8_192, ids.capacity());
        assertTrue(ids.bytes() <= 8_192 * 32L, "5,000 ids take " + ids.bytes() + " bytes");
    }

    @Test
    void randomRunsAgreeWithAReferenceModel() {
        for (int run = 0; run < 40; run++) {
            int maxIds = run % 2 == 0 ? 1 + random.nextInt(60) : 1_000 + random.nextInt(3_000);
            UUID[] pool = new UUID[maxIds * 2 + 5];
            for (int i = 0; i < pool.length; i++) {
                // Ids differing in few bits, as sequential ones would, to exercise the hash and the probing.
                pool[i] = random.nextBoolean() ? new UUID(i, 7) : new UUID(random.nextLong(), random.nextLong());
            }
            HandledIds ids = new HandledIds(WINDOW, maxIds);
            Model model = new Model(WINDOW, maxIds);
            long now = T0;
            for (int step = 0; step < 20 * pool.length; step++) {
                now += random.nextInt(200);
                UUID id = pool[random.nextInt(pool.length)];
                switch (random.nextInt(10)) {
                    case 0 -> {
                        long earlier = now - random.nextInt((int) WINDOW * 2); // out of order, sometimes expired
                        ids.add(id, earlier);
                        model.add(id, earlier);
                    }
                    case 1, 2, 3, 4 -> {
                        ids.add(id, now);
                        model.add(id, now);
                    }
                    case 5 -> {
                        ids.forgetExpired(now);
                        model.forgetExpired(now);
                    }
                    default -> assertEquals(model.contains(id, now), ids.contains(id, now),
                            "run " + run + ", step " + step);
                }
                assertEquals(model.size(), ids.size(), "run " + run + ", step " + step);
            }
            for (UUID id : pool) {
                assertEquals(model.contains(id, now), ids.contains(id, now), "run " + run + " at its end");
            }
        }
    }

    @Test
    void boundsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HandledIds(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new HandledIds(WINDOW, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new HandledIds(WINDOW, KafkaQueueSettings.MAX_REMEMBERED_IDS + 1));
        assertThrows(NullPointerException.class, () -> new HandledIds(WINDOW, 1).add(null, T0));
    }

    @Test
    void theSettingsGiveTheWindowAndTheBound() {
        HandledIds ids = HandledIds.of(KafkaQueueSettings.defaults("billing")
                .withDedupeWindow(java.time.Duration.ofSeconds(1)).withMaxRememberedIds(1));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        ids.add(first, T0);

        assertFalse(ids.contains(first, T0 + 1_000));
        ids.add(second, T0);
        assertFalse(ids.contains(first, T0), "the bound of 1");
        assertTrue(ids.contains(second, T0));
    }

    /** The same rules, plainly: insertion order in a LinkedHashMap (a put on a present key keeps its place). */
    private static final class Model {
        private final long window;
        private final int max;
        private final LinkedHashMap<UUID, Long> ids = new LinkedHashMap<>();

        Model(long window, int max) {
            this.window = window;
            this.max = max;
        }

        void add(UUID id, long at) {
            forgetExpired(at);
            Long known = ids.get(id);
            if (known != null) {
                ids.put(id, Math.max(known, at));
                return;
            }
            if (ids.size() == max) {
                Iterator<UUID> first = ids.keySet().iterator();
                first.next();
                first.remove();
            }
            ids.put(id, at);
        }

        boolean contains(UUID id, long now) {
            Long at = ids.get(id);
            return at != null && now - at < window;
        }

        void forgetExpired(long now) {
            Iterator<Map.Entry<UUID, Long>> head = ids.entrySet().iterator();
            while (head.hasNext()) {
                if (now - head.next().getValue() < window) {
                    return;
                }
                head.remove();
            }
        }

        int size() {
            return ids.size();
        }
    }
}
