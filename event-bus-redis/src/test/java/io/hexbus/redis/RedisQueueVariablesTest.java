package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HEXBUS_QUEUE_ROUTES and HEXBUS_WORKERS, read without a server. */
class RedisQueueVariablesTest {

    private static final List<String> QUEUES = List.of("default", "export", "mail");

    @Test
    void routesArePairsOfEventNameAndQueue() {
        assertEquals(Map.of("billing.invoice-mail-requested", "mail", "reports.export-requested", "export"),
                RedisQueueVariables.routes("billing.invoice-mail-requested=mail, reports.export-requested = export"));
        assertEquals(Map.of(), RedisQueueVariables.routes("none"));
    }

    @Test
    void badRoutesAreRefusedNamingThePart() {
        assertEquals("HEXBUS_QUEUE_ROUTES='a=mail,b' is not allowed: 'b' is not event-name=queue; use event-name=queue"
                + " pairs separated by commas, like billing.invoice-mail-requested=mail,reports.export-requested=export,"
                + " or none", refusal(() -> RedisQueueVariables.routes("a=mail,b")));
        assertEquals("HEXBUS_QUEUE_ROUTES='a=Mail' is not allowed: queue name 'Mail' is not allowed: use 1 to 64"
                + " lower-case letters, digits, '-' or '_'; use event-name=queue pairs separated by commas, like"
                + " billing.invoice-mail-requested=mail,reports.export-requested=export, or none",
                refusal(() -> RedisQueueVariables.routes("a=Mail")));
        assertEquals(true, refusal(() -> RedisQueueVariables.routes("a=mail,a=export"))
                .contains("event name 'a' is routed twice"));
    }

    @Test
    void workerSetsAreOneQueueAStrictOrderWeightsOrEqualWeights() {
        assertEquals(List.of(WorkerQueues.strict(List.of("mail"), 8), WorkerQueues.strict(List.of("export"), 2)),
                List.of(toStrict(RedisQueueVariables.workers("mail:8;export:2", QUEUES, 4).get(0)),
                        toStrict(RedisQueueVariables.workers("mail:8;export:2", QUEUES, 4).get(1))));
        assertEquals(List.of(WorkerQueues.strict(List.of("mail", "default"), 3)),
                RedisQueueVariables.workers("mail>default:3", QUEUES, 4));
        assertEquals(List.of(WorkerQueues.weighted(new java.util.LinkedHashMap<>(Map.of("mail", 3)), 4)),
                RedisQueueVariables.workers("mail=3", QUEUES, 4));
        WorkerQueues weighted = RedisQueueVariables.workers("mail=3, default=1 : 6", QUEUES, 4).get(0);
        assertEquals(WorkerQueues.Priority.WEIGHTED, weighted.priority());
        assertEquals(List.of("mail", "default"), weighted.queues());
        assertEquals(List.of(3, 1), weighted.weights());
        assertEquals(6, weighted.concurrency());
        assertEquals(WorkerQueues.equal(List.of("mail", "export"), 4),
                RedisQueueVariables.workers("mail,export", QUEUES, 4).get(0));
    }

    @Test
    void badWorkerSetsAreRefusedNamingThePart() {
        assertEquals("HEXBUS_WORKERS='mail:8;sms:2' is not allowed: queue 'sms' has no event routed to it (queues:"
                + " [default, export, mail]; route events with HEXBUS_QUEUE_ROUTES); use worker sets separated by ';',"
                + " each queues[:slots] where queues is one queue (mail), a strict order (high>low), weights"
                + " (mail=3,default=1) or equal weights (mail,default), like mail:8;export:2",
                refusal(() -> RedisQueueVariables.workers("mail:8;sms:2", QUEUES, 4)));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail:0", QUEUES, 4))
                .contains("the slots of 'mail:0' must be a whole number from 1 to 1000, not '0'"));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail=x", QUEUES, 4))
                .contains("the weight of 'mail' must be a whole number from 1 to 1000, not 'x'"));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail>default=2", QUEUES, 4))
                .contains("'mail>default=2' mixes a strict order with weights"));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail;;export", QUEUES, 4))
                .contains("'' names no queue"));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail,mail", QUEUES, 4))
                .contains("queue 'mail' is listed twice in one worker set"));
        assertEquals(true, refusal(() -> RedisQueueVariables.workers("mail>mail", QUEUES, 4))
                .contains("queue 'mail' is listed twice for one worker"));
    }

    /** A single-queue set is equal-weighted; as strict it reads the same. */
    private static WorkerQueues toStrict(WorkerQueues single) {
        return WorkerQueues.strict(single.queues(), single.concurrency());
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
