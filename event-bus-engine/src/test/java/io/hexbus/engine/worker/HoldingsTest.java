package io.hexbus.engine.worker;

import io.hexbus.engine.JobSlots;
import io.hexbus.engine.Progress;
import io.hexbus.engine.backend.Delivery;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a worker holds is counted per delivery: a message held again keeps its earlier delivery counted too. */
class HoldingsTest {

    private final JobSlots slots = new JobSlots(2, 2, "holdings-test");
    private final Holdings holdings = new Holdings(slots);

    @Test
    void aMessageHeldAgainCountsTwiceUntilEachDeliveryIsLetGo() {
        Delivery first = delivery(1);
        Delivery again = delivery(2);
        slots.hold();
        holdings.hold(first);
        slots.hold();
        holdings.hold(again);

        assertEquals(2, holdings.size());
        assertEquals(Set.of("m|1-0"), holdings.ids(), "renewed once");
        holdings.release(again);
        assertEquals(1, holdings.size(), "the earlier delivery is still being written");
        holdings.release(first);
        assertTrue(holdings.isEmpty());
    }

    private static Delivery delivery(long lease) {
        return new Delivery("m|1-0", "x", null, "{}", Set.of(), Progress.NONE, -1, 0, lease);
    }
}
