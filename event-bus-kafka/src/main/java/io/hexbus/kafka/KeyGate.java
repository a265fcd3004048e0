package io.hexbus.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ordering by key within one partition: the records the consumer returned, in offset order, go through the gate,
 * which lets at most one record per ordering key be with the engine at a time.
 *
 * <p>A record whose key is free becomes <em>ready</em> at once; the key is then in flight until its record is
 * {@link #settled}. A record of a key in flight or {@link #hold held} (its event waits for a retry) <em>waits</em>;
 * when the key's record settles (and the key is not held), or the key is released (and no record of it is in
 * flight), the key's next waiting record becomes ready. Records of other keys flow past.
 *
 * <p><b>What is ordered:</b> the records of one key are handed out ({@link #takeReady}) in offset order, each only
 * after the one before it settled and while the key is not held. Records of different keys are in no order to each
 * other (those ready at once are in offset order). A record without a key ({@code null}) is ordered with nothing.
 *
 * <p><b>Bounded:</b> the records in the gate, waiting or ready and not yet taken, are at most the capacity: when full,
 * {@link #offer} refuses a record, and the caller seeks the partition back to it and pauses the partition until
 * {@link #isFull()} turns false.
 *
 * <p>Not thread-safe: used by the fetch thread only; the backend forwards settlements made on other threads to it
 * (nothing on those threads needs the gate's answer).
 *
 * @param <R> the records
 */
final class KeyGate<R> {

    private final int capacity;
    private final ArrayDeque<R> ready = new ArrayDeque<>();
    private final Map<String, ArrayDeque<R>> waiting = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> held = new HashSet<>();
    private int size;

    /**
     * @param capacity the most records the gate keeps, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    KeyGate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes the partition's next record: ready at once if its key is free, else waiting behind its key.
     *
     * @param key    its ordering key, or null for none
     * @param record the record, next in offset order
     * @return true if taken; false if the gate is full, changing nothing
     */
    boolean offer(String key, R record) {
        if (size >= capacity) {
            return false;
        }
        size++;
        if (key == null) {
            ready.addLast(record);
        } else if (inFlight.contains(key) || held.contains(key)) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(record);
        } else {
            // Not in flight and not held: no record of the key can be waiting (it would have been made ready).
            inFlight.add(key);
            ready.addLast(record);
        }
        return true;
    }

    /**
     * Takes records to hand to the engine, in the order they became ready.
     *
     * @param max at most this many
     * @return the records, removed from the gate; their keys stay in flight until settled
     */
    List<R> takeReady(int max) {
        List<R> taken = new ArrayList<>(Math.min(Math.max(max, 0), ready.size()));
        while (taken.size() < max && !ready.isEmpty()) {
            taken.add(ready.removeFirst());
            size--;
        }
        return taken;
    }

    /**
     * The in-flight record of {@code key} was settled (acknowledged, rescheduled or dead-lettered): the key's next
     * waiting record becomes ready, unless the key is held. A rescheduled record's key is held first ({@link #hold}).
     *
     * @param key its ordering key; null (a record without a key) changes nothing
     * @throws IllegalStateException if no record of {@code key} is in flight (a bug: each record settles once)
     */
    void settled(String key) {
        if (key == null) {
            return;
        }
        if (!inFlight.remove(key)) {
            throw new IllegalStateException("no record of ordering key '" + key + "' is in flight");
        }
        if (!held.contains(key)) {
            next(key);
        }
    }

    /**
     * Holds back the records of {@code key} not yet ready: its event waits for a retry (rescheduled now, or restored
     * from the state topic when the partition was assigned). Holding a held key changes nothing.
     *
     * @param key the ordering key
     */
    void hold(String key) {
        held.add(key);
    }

    /**
     * Ends the hold of {@code key} (its retry was acknowledged or dead-lettered): its next waiting record becomes ready
     * unless one is in flight.
     *
     * @param key the ordering key
     * @return whether it was held
     */
    boolean release(String key) {
        if (!held.remove(key)) {
            return false;
        }
        if (!inFlight.contains(key)) {
            next(key);
        }
        return true;
    }

    /**
     * @param key an ordering key
     * @return whether it is held
     */
    boolean isHeld(String key) {
        return held.contains(key);
    }

    /** @return whether the gate keeps as many records as it may: the caller pauses the partition */
    boolean isFull() {
        return size >= capacity;
    }

    /** @return the records in the gate, ready or waiting */
    int size() {
        return size;
    }

    /** @return the records ready to hand out */
    int readyCount() {
        return ready.size();
    }

    private void next(String key) {
        ArrayDeque<R> queue = waiting.get(key);
        if (queue == null) {
            return;
        }
        ready.addLast(queue.removeFirst());
        inFlight.add(key);
        if (queue.isEmpty()) {
            waiting.remove(key); // memory stays bounded by the records kept, not by the keys ever seen
        }
    }
}
