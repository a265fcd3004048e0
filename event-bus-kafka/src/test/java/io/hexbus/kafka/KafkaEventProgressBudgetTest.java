package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@link KafkaEventProgress} shares its read budget among partitions, without a broker. */
class KafkaEventProgressBudgetTest {

    @Test
    void eachPartitionReadsWhatItHasUpToItsCap() {
        assertEquals(Map.of("a", 0L, "b", 30L, "c", 100L),
                KafkaEventProgress.shares(Map.of("a", 0L, "b", 30L, "c", 5_000L), 100, 1_000));
    }

    @Test
    void pastTheCallsBudgetItIsSplitEquallyAndWhatASmallPartitionLeavesGoesToTheOthers() {
        assertEquals(Map.of("a", 10L, "b", 45L, "c", 45L),
                KafkaEventProgress.shares(Map.of("a", 10L, "b", 500L, "c", 500L), 1_000, 100));
    }

    @Test
    void theWholeReadStaysWithinTheBudgetWhateverThePartitionsHold() {
        Map<Integer, Long> available = new java.util.HashMap<>();
        for (int partition = 0; partition < 48; partition++) {
            available.put(partition, 100_000L);
        }

        long read = KafkaEventProgress.shares(available, KafkaEventProgress.SCANNED_PER_PARTITION,
                KafkaEventProgress.SCANNED_PER_CALL).values().stream().mapToLong(Long::longValue).sum();

        assertEquals(KafkaEventProgress.SCANNED_PER_CALL, read);
    }
}
