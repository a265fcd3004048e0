package io.hexbus.kafka;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What settles on the engine's threads change in the events partitions' {@link KeyGate}s, queued for the fetch thread,
 * which owns the gates (a gate is not thread-safe, and nothing on the settling threads needs its answer).
 *
 * <p>Thread-safety: {@link #add} from any thread; {@link #applyTo} from the fetch thread only.
 */
final class GateChanges {

    /** What happened to a record of the key. */
    enum Kind {
        /** An events record was acknowledged or dead-lettered: its key's next record may go. */
        SETTLED,
        /** An events record was rescheduled: its key is held until its retry settles. */
        RESCHEDULED,
        /** A retry was rescheduled again: its key stays held (restored holds included). */
        HOLD,
        /** A retry was acknowledged or dead-lettered: its key's hold ends. */
        RELEASE
    }

    /** An events partition's gate, and the lease of the assignment it belongs to. */
    interface Gates {
        /**
         * @param partition an events partition's number
         * @return its gate, or null when it is not assigned now
         */
        KeyGate<?> gate(int partition);

        /**
         * @param partition an events partition's number, assigned now
         * @return the lease of its assignment
         */
        long lease(int partition);
    }

    private record Change(int partition, String key, long lease, Kind kind) {
    }

    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();

    /**
     * @param partition the events partition's number
     * @param key       the record's ordering key, or null for none
     * @param lease     the lease of the delivery settled
     * @param kind      what happened
     */
    void add(int partition, String key, long lease, Kind kind) {
        changes.add(new Change(partition, key, lease, kind));
    }

    /**
     * Applies what was added, in order. A change of a partition not assigned now is dropped (its next owner restored
     * the holds from the state topic); one of an earlier assignment changes no record in flight of this one, but a hold
     * or a release still applies (holds are the key's, not the assignment's).
     *
     * @param gates the gates now
     * @throws IllegalStateException if a gate refuses a change (a bug: each record settles once); the later changes
     *                               stay queued
     */
    void applyTo(Gates gates) {
        Change change;
        while ((change = changes.poll()) != null) {
            KeyGate<?> gate = gates.gate(change.partition());
            if (gate == null) {
                continue;
            }
            boolean sameAssignment = gates.lease(change.partition()) == change.lease();
            switch (change.kind()) {
                case SETTLED -> {
                    if (sameAssignment) {
                        gate.settled(change.key());
                    }
                }
                case RESCHEDULED -> {
                    if (sameAssignment) {
                        gate.hold(change.key());
                        gate.settled(change.key());
                    }
                }
                case HOLD -> gate.hold(change.key());
                case RELEASE -> {
                    if (change.key() != null) {
                        gate.release(change.key());
                    }
                }
            }
        }
    }
}
