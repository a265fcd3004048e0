package io.hexbus.engine.worker;

import io.hexbus.engine.JobSlots;
import io.hexbus.engine.backend.Delivery;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages a worker holds (read ahead, being handled, or waiting for their acknowledgement), whose leases it
 * renews, and the room they take in its {@link JobSlots}. Thread-safe.
 */
final class Holdings {

    private final JobSlots slots;
    private final Map<String, Delivery> held = new ConcurrentHashMap<>();

    Holdings(JobSlots slots) {
        this.slots = slots;
    }

    JobSlots slots() {
        return slots;
    }

    /** Records a message as held; its room was taken from the slots before. */
    void hold(Delivery delivery) {
        held.put(delivery.id(), delivery);
    }

    /** Lets go of a message and its room: only this delivery, since a retry may hold the same message again. */
    void release(Delivery delivery) {
        held.remove(delivery.id(), delivery);
        slots.release();
    }

    Set<String> ids() {
        return Set.copyOf(held.keySet());
    }

    Collection<Delivery> all() {
        return held.values();
    }

    int size() {
        return held.size();
    }

    boolean isEmpty() {
        return held.isEmpty();
    }
}
