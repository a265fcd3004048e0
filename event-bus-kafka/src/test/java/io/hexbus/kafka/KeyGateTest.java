package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyGate} without a broker: one record per key at a time, in offset order, held keys wait, other keys flow
 * past, and the capacity bounds what the gate keeps.
 */
class KeyGateTest {

    /** A record: its offset and ordering key. */
    private record Rec(long offset, String key) {
    }

    private static Rec rec(long offset, String key) {
        return new Rec(offset, key);
    }

    @Test
    void recordsOfFreeKeysAreReadyInOffsetOrder() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.offer("b", rec(1, "b"));
        gate.offer("c", rec(2, "c"));

        assertEquals(3, gate.readyCount());
        assertEquals(List.of(rec(0, "a"), rec(1, "b")), gate.takeReady(2));
        assertEquals(List.of(rec(2, "c")), gate.takeReady(5));
        assertEquals(List.of(), gate.takeReady(5));
        assertEquals(0, gate.size());
    }

    @Test
    void aKeyInFlightHoldsBackItsNextRecordButNotOtherKeys() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.offer("a", rec(1, "a"));
        gate.offer("b", rec(2, "b"));
        gate.offer("a", rec(3, "a"));

        assertEquals(List.of(rec(0, "a"), rec(2, "b")), gate.takeReady(10), "b flows past the waiting a");
        assertEquals(2, gate.size(), "two records of a wait");

        gate.settled("a");
        assertEquals(List.of(rec(1, "a")), gate.takeReady(10));
        gate.settled("b");
        assertEquals(List.of(), gate.takeReady(10), "b's settle does not release a");
        gate.settled("a");
        assertEquals(List.of(rec(3, "a")), gate.takeReady(10));
        gate.settled("a");
        assertEquals(0, gate.size());
    }

    @Test
    void aReadyRecordNotYetTakenKeepsItsKeyInFlight() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.offer("a", rec(1, "a"));

        assertEquals(List.of(rec(0, "a")), gate.takeReady(10));
    }

    @Test
    void aHeldKeyWaitsForItsReleaseEvenWhenNothingIsInFlight() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.hold("a"); // restored from the state topic at assignment
        gate.offer("a", rec(0, "a"));
        gate.offer("b", rec(1, "b"));

        assertTrue(gate.isHeld("a"));
        assertEquals(List.of(rec(1, "b")), gate.takeReady(10));
        assertTrue(gate.release("a"));
        assertFalse(gate.isHeld("a"));
        assertEquals(List.of(rec(0, "a")), gate.takeReady(10));
        assertFalse(gate.release("a"), "not held any more");
    }

    @Test
    void aRescheduledRecordHoldsItsKeyUntilItsRetrySettles() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.offer("a", rec(1, "a"));
        gate.takeReady(10);

        gate.hold("a"); // 0 failed and waits for a retry
        gate.settled("a");
        assertEquals(List.of(), gate.takeReady(10), "1 must not overtake the retry of 0");
        gate.hold("a");
        assertEquals(List.of(), gate.takeReady(10), "holding twice changes nothing");

        gate.release("a"); // the retry of 0 succeeded
        assertEquals(List.of(rec(1, "a")), gate.takeReady(10));
    }

    @Test
    void releasingAKeyWhoseRecordIsInFlightWaitsForItsSettle() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.takeReady(10);
        gate.hold("a");
        gate.offer("a", rec(1, "a"));

        gate.release("a");
        assertEquals(List.of(), gate.takeReady(10), "0 is still in flight");
        gate.settled("a");
        assertEquals(List.of(rec(1, "a")), gate.takeReady(10));
    }

    @Test
    void recordsWithoutAKeyAreOrderedWithNothing() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer(null, rec(0, null));
        gate.offer(null, rec(1, null));

        assertEquals(List.of(rec(0, null), rec(1, null)), gate.takeReady(10));
        gate.settled(null);
    }

    @Test
    void aSettleOfAKeyNotInFlightIsABug() {
        KeyGate<Rec> gate = new KeyGate<>(10);
        gate.offer("a", rec(0, "a"));
        gate.takeReady(10);
        gate.settled("a");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> gate.settled("a"));
        assertTrue(refused.getMessage().contains("'a'"), refused.getMessage());
    }

    @Test
    void aFullGateRefusesRecordsUntilSomeAreTaken() {
        KeyGate<Rec> gate = new KeyGate<>(3);
        assertTrue(gate.offer("a", rec(0, "a")));
        assertTrue(gate.offer("a", rec(1, "a")));
        assertFalse(gate.isFull());
        assertTrue(gate.offer("b", rec(2, "b")));

        assertTrue(gate.isFull());
        assertFalse(gate.offer("c", rec(3, "c")), "the caller seeks back to 3 and pauses the partition");
        assertEquals(3, gate.size());

        assertEquals(List.of(rec(0, "a"), rec(2, "b")), gate.takeReady(10));
        assertFalse(gate.isFull());
        assertTrue(gate.offer("c", rec(3, "c")));
        assertEquals(List.of(rec(3, "c")), gate.takeReady(10));
        assertThrows(IllegalArgumentException.class, () -> new KeyGate<Rec>(0));
    }

    /**
     * Random offers, takes, settles, holds and releases against the rules: at most one record per key out at a time,
     * each key's records out in offset order, no record out while its key is held, none lost, and never more kept
     * than the capacity.
     */
    @Test
    void randomRunsKeepEveryKeyInOrderAndOneAtATime() {
        for (long seed = 1; seed <= 50; seed++) {
            Random random = new Random(seed);
            int capacity = 1 + random.nextInt(20);
            KeyGate<Rec> gate = new KeyGate<>(capacity);
            Map<String, Long> lastOut = new HashMap<>();
            Set<String> out = new HashSet<>();
            Set<String> held = new HashSet<>();
            List<Rec> offered = new ArrayList<>();
            List<Rec> handed = new ArrayList<>();
            Set<Rec> handedSet = new HashSet<>();
            long offset = 0;
            for (int step = 0; step < 2_000; step++) {
                int action = random.nextInt(10);
                String key = "k" + random.nextInt(6);
                if (action < 4) {
                    Rec record = rec(offset, key);
                    boolean taken = gate.offer(key, record);
                    assertTrue(gate.size() <= capacity);
                    if (taken) {
                        offered.add(record);
                        offset++;
                    }
                } else if (action < 6) {
                    for (Rec record : gate.takeReady(1 + random.nextInt(3))) {
                        String context = "seed " + seed + " step " + step + ": " + record;
                        assertTrue(out.add(record.key()), "two records of a key out at once, " + context);
                        assertFalse(held.contains(record.key()), "a held key's record out, " + context);
                        assertTrue(lastOut.getOrDefault(record.key(), -1L) < record.offset(),
                                "out of order, " + context);
                        lastOut.put(record.key(), record.offset());
                        handed.add(record);
                        handedSet.add(record);
                    }
                } else if (action < 8 && !out.isEmpty()) {
                    String settled = out.iterator().next();
                    if (random.nextInt(4) == 0) {
                        gate.hold(settled); // rescheduled
                        held.add(settled);
                    }
                    gate.settled(settled);
                    out.remove(settled);
                } else if (action < 9) {
                    if (held.contains(key) && !out.contains(key)) {
                        assertTrue(gate.release(key));
                        held.remove(key);
                    }
                } else {
                    // a key restored as held while none of its records is out (nor ready: nothing of it in the gate)
                    boolean anyOfKey = offered.stream().anyMatch(r -> r.key().equals(key) && !handedSet.contains(r));
                    if (!out.contains(key) && !anyOfKey) {
                        gate.hold(key);
                        held.add(key);
                    }
                }
                assertTrue(gate.size() <= capacity);
                assertEquals(offered.size() - handed.size(), gate.size(), "seed " + seed + " step " + step);
            }
            // Drain: release and settle everything; every record comes out.
            for (int round = 0; round < 10_000 && handed.size() < offered.size(); round++) {
                held.forEach(gate::release);
                held.clear();
                for (Rec record : gate.takeReady(Integer.MAX_VALUE)) {
                    assertTrue(lastOut.getOrDefault(record.key(), -1L) < record.offset());
                    lastOut.put(record.key(), record.offset());
                    handed.add(record);
                    out.add(record.key());
                }
                out.forEach(gate::settled);
                out.clear();
            }
            assertEquals(offered.size(), handed.size(), "seed " + seed + ": records lost in the gate");
        }
    }
}
