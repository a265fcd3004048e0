package io.hexbus.engine.worker;

import io.hexbus.engine.JobSlots;
import io.hexbus.engine.backend.Delivery;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages a worker holds (read ahead, being handled, or waiting for their acknowledgement), whose leases it
 * renews, and the room they take in its {@link JobSlots}. Thread-safe.
 */
final class Holdings {

    private final JobSlots slots;
    // Keyed by delivery, not by message: the same worker may hold a message again (its retry, claimed while the
    // write of its earlier delivery is still being tried), and both count until each is let go.
    private final Map<String, Delivery> held = new ConcurrentHashMap<>();

    Holdings(JobSlots slots) {
        this.slots = slots;
    }

    JobSlots slots() {
        return slots;
    }

    /** Records a message as held; its room was taken from the slots before. */
    void hold(Delivery delivery) {
        held.put(key(delivery), delivery);
    }

    /** Lets go of a delivery and its room; a later delivery of the same message stays held. */
    void release(Delivery delivery) {
        held.remove(key(delivery), delivery);
        slots.release();
    }

    /** @return the ids of the messages held, each once */
    Set<String> ids() {
        Set<String> ids = new HashSet<>();
        held.values().forEach(d -> ids.add(d.id()));
        return ids;
    }

    private static String key(Delivery delivery) {
        return delivery.id() + '#' + delivery.lease();
    }

    int size() {
        return held.size();
    }

    boolean isEmpty() {
        return held.isEmpty();
    }
}
