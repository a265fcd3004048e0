package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order in which a worker tries its queues, without a server. */
class WorkerQueuesTest {

    @Test
    void strictAlwaysTriesTheQueuesInTheirOrder() {
        WorkerQueues strict = WorkerQueues.strict(List.of("critical", "default", "low"), 2);
        Random random = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of("critical", "default", "low"), strict.readOrder(random));
        }
    }

    @Test
    void weightedPutsEachQueueFirstAsOftenAsItsWeightSays() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("critical", 6);
        weights.put("default", 3);
        weights.put("low", 1);
        WorkerQueues weighted = WorkerQueues.weighted(weights, 4);
        Random random = new Random(42);
        Map<String, Integer> first = new HashMap<>();
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            List<String> order = weighted.readOrder(random);
            assertEquals(3, distinct(order), "every queue once: " + order);
            first.merge(order.get(0), 1, Integer::sum);
        }
        assertEquals(0.6, first.get("critical") / (double) draws, 0.01);
        assertEquals(0.3, first.get("default") / (double) draws, 0.01);
        assertEquals(0.1, first.get("low") / (double) draws, 0.01);
    }

    private static int distinct(List<String> order) {
        return new java.util.HashSet<>(order).size();
    }

    @Test
    void badSetsAreRefusedSayingWhy() {
        assertEquals("a worker consumes at least one queue", assertThrows(IllegalArgumentException.class,
                () -> WorkerQueues.strict(List.of(), 1)).getMessage());
        assertEquals("queue 'mail' is listed twice for one worker", assertThrows(IllegalArgumentException.class,
                () -> WorkerQueues.strict(List.of("mail", "mail"), 1)).getMessage());
        assertEquals("the weight of queue 'mail' must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> WorkerQueues.weighted(Map.of("mail", 0), 1)).getMessage());
        assertEquals("concurrency must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> WorkerQueues.strict(List.of("mail"), 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerQueues.strict(List.of("Mail"), 1))
                .getMessage().startsWith("queue name 'Mail' is not allowed"));
    }

    @Test
    void messageIdsCarryTheirQueue() {
        String id = MultiQueueBackend.outerId("mail", "m|1700000000000-0");
        assertEquals("mail/m|1700000000000-0", id);
        assertEquals("mail", MultiQueueBackend.queueOf(id));
        assertEquals("m|1700000000000-0", MultiQueueBackend.innerId(id));
    }
}
