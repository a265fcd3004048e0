package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GateChanges} without a broker: settles of the current assignment move its gate on, a reschedule holds the
 * key, changes of another assignment move no record in flight, and a partition not assigned is skipped.
 */
class GateChangesTest {

    private final KeyGate<String> gate = new KeyGate<>(10);
    private long lease = 1;
    private final GateChanges.Gates gates = new GateChanges.Gates() {
        @Override
        public KeyGate<?> gate(int partition) {
            return partition == 0 ? gate : null;
        }

        @Override
        public long lease(int partition) {
            return lease;
        }
    };

    @Test
    void aSettleOfTheCurrentAssignmentLetsTheKeysNextRecordGo() {
        gate.offer("k", "first");
        gate.offer("k", "second");
        assertEquals(List.of("first"), gate.takeReady(5));
        GateChanges changes = new GateChanges();

        changes.add(0, "k", 1, GateChanges.Kind.SETTLED);
        changes.add(1, "other", 1, GateChanges.Kind.SETTLED); // not assigned: skipped
        changes.applyTo(gates);

        assertEquals(List.of("second"), gate.takeReady(5));
    }

    @Test
    void aRescheduleHoldsTheKeyUntilItsRetryIsReleased() {
        gate.offer("k", "first");
        gate.takeReady(5);
        gate.offer("k", "second");
        GateChanges changes = new GateChanges();

        changes.add(0, "k", 1, GateChanges.Kind.RESCHEDULED);
        changes.applyTo(gates);
        assertTrue(gate.isHeld("k"));
        assertEquals(List.of(), gate.takeReady(5));

        lease = 2; // the retry was read under a later assignment: a release is the key's, whatever the assignment
        changes.add(0, "k", 1, GateChanges.Kind.RELEASE);
        changes.applyTo(gates);
        assertFalse(gate.isHeld("k"));
        assertEquals(List.of("second"), gate.takeReady(5));
    }

    @Test
    void aSettleOfAnEarlierAssignmentMovesNoRecordInFlightAndARefusedChangeLeavesTheRestQueued() {
        gate.offer("k", "first");
        gate.takeReady(5);
        GateChanges changes = new GateChanges();
        lease = 2;

        changes.add(0, "k", 1, GateChanges.Kind.SETTLED);
        changes.applyTo(gates);
        gate.offer("k", "second");
        assertEquals(List.of(), gate.takeReady(5), "k is still in flight under lease 2");

        changes.add(0, "none", 2, GateChanges.Kind.SETTLED); // a bug: nothing of it is in flight
        changes.add(0, "k", 2, GateChanges.Kind.SETTLED);
        assertThrows(IllegalStateException.class, () -> changes.applyTo(gates));
        changes.applyTo(gates);
        assertEquals(List.of("second"), gate.takeReady(5));
    }
}
