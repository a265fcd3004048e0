package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pure decisions about a transport's queues: which ones a worker sees, which ones it warns about, who counts. */
class QueueDecisionsTest {

    @Test
    void theKnownQueuesAreTheConfiguredOnesInOrderThenTheRegisteredOthers() {
        assertEquals(List.of("default", "export", "mail"),
                RedisTransport.knownQueues(List.of("default", "export"), List.of("export", "default", "mail")));
    }

    @Test
    void onlyARegisteredQueueThisTransportNeitherConfiguresNorConsumesIsUncovered() {
        assertEquals(Set.of("mail"), RedisTransport.uncovered(List.of("default", "export", "mail", "sms"),
                List.of("default", "export"), Set.of("default", "sms")));
        assertEquals(Set.of(), RedisTransport.uncovered(List.of("default", "mail"), List.of("default"),
                Set.of("default", "mail")));
    }

    @Test
    void runningHandlersAreCountedToTheQueueOfTheirMessageAndEveryOtherQueueGetsZero() {
        Map<String, Integer> perQueue = MultiQueueBackend.runningPerQueue(List.of("default", "export", "mail"),
                List.of(MultiQueueBackend.outerId("default", "m|1-0"), MultiQueueBackend.outerId("default", "m|2-0"),
                        MultiQueueBackend.outerId("mail", "r|3-0")));

        assertEquals(Map.of("default", 2, "export", 0, "mail", 1), perQueue);
        assertEquals(List.of("default", "export", "mail"), List.copyOf(perQueue.keySet()), "in the worker's order");
    }
}
