package io.hexbus.kafka;

import io.hexbus.engine.Progress;
import io.hexbus.engine.backend.Delivery;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HandOuts} without a broker: a delivery reaches the engine only once its listing is committed, a takeover
 * through the reclaim, and a revoked partition takes back what the engine was not given.
 */
class HandOutsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void deliveriesWaitForTheirListingsCommitAndTakeoversGoToTheReclaim() {
        HandOuts handOuts = new HandOuts();
        handOuts.add(listed(P0, 1, 1, false));
        handOuts.add(listed(P0, 2, 2, true));
        handOuts.add(listed(P0, 3, 3, false));

        List<Delivery> ready = handOuts.release(l -> false, l -> l.version() <= 2);

        assertEquals(List.of("t-0@1"), ids(ready));
        assertEquals(1, handOuts.waiting(), "offset 3's listing is not committed yet");
        assertEquals(List.of("t-0@2"), ids(handOuts.reclaim(5, d -> true, d -> false)));
        assertEquals(List.of(), handOuts.reclaim(5, d -> true, d -> false), "handed over once");
    }

    @Test
    void aRevokedPartitionTakesBackWhatTheEngineWasNotGiven() {
        HandOuts handOuts = new HandOuts();
        handOuts.add(listed(P0, 1, 1, true));
        handOuts.release(l -> false, l -> true);
        handOuts.add(listed(P0, 2, 2, false));
        handOuts.add(listed(P1, 3, 3, false));

        List<HandOuts.Listed> withdrawn = handOuts.withdraw(Set.of(P0));

        assertEquals(List.of(2L, 1L), withdrawn.stream().map(HandOuts.Listed::offset).toList());
        assertEquals(List.of(), handOuts.reclaim(5, d -> true, d -> false));
        assertEquals(List.of("t-1@3"), ids(handOuts.release(l -> false, l -> true)));
    }

    @Test
    void aReclaimSkipsWhatThisWorkerNoLongerHoldsAndTakesAtMostMax() {
        HandOuts handOuts = new HandOuts();
        for (long offset = 1; offset <= 3; offset++) {
            handOuts.add(listed(P0, offset, offset, true));
        }
        handOuts.release(l -> false, l -> true);

        assertEquals(List.of("t-0@2"), ids(handOuts.reclaim(1, d -> !d.id().equals("t-0@1"), d -> false)));
        assertEquals(List.of("t-0@3"), ids(handOuts.reclaim(1, d -> true, d -> false)));
    }

    @Test
    void aTakeoverOfARecordTheEngineStillHoldsWaitsUntilTheEngineLetGoOfIt() {
        HandOuts handOuts = new HandOuts();
        handOuts.add(listed(P0, 1, 1, true));
        handOuts.add(listed(P0, 2, 2, true));
        handOuts.release(l -> false, l -> true);

        // This worker got its partition back while its handler of offset 1 still runs: not given twice, not dropped.
        assertEquals(List.of("t-0@2"), ids(handOuts.reclaim(5, d -> true, d -> d.id().equals("t-0@1"))));
        assertEquals(List.of("t-0@1"), ids(handOuts.reclaim(5, d -> true, d -> false)), "once its settle was refused");
    }

    private static HandOuts.Listed listed(TopicPartition partition, long offset, long version, boolean takeover) {
        Delivery delivery = new Delivery(partition.topic() + "-" + partition.partition() + "@" + offset, "n", null,
                null, Set.of(), Progress.NONE, -1, 0, 1);
        return new HandOuts.Listed(partition, offset, delivery, version, takeover);
    }

    private static List<String> ids(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::id).toList();
    }
}
