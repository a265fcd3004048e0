package io.hexbus.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The settling scripts are fenced to one delivery of an entry, not only to its consumer: a write of an earlier
 * delivery (written again after Redis's answer was lost, once the same worker had claimed the entry's retry) is
 * refused, and the write of the current delivery is accepted. The delivery count is the lease: a claim raises
 * it, a renewal does not.
 */
class LeaseFencingScriptTest {

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final Keys keys = onRedis.keys;

    /** An entry read by "me" (delivery 1), then claimed again by "me", as claim-due does (delivery 2). */
    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private String heldAgain() {
        String id = redis.xadd(keys.stream(), Map.of("n", "x"));
        redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), "g", XGroupCreateArgs.Builder.mkstream());
        redis.xreadgroup(Consumer.from("g", "me"), XReadArgs.StreamOffset.lastConsumed(keys.stream()));
        redis.xclaim(keys.stream(), Consumer.from("g", "me"), XClaimArgs.Builder.minIdleTime(0), id);
        return id;
    }

    @Test
    void aRenewalKeepsTheLeaseAClaimMakesANewOne() {
        String id = heldAgain();
        List<Object> renewed = onRedis.scripts.run(Script.RENEW, new String[] {keys.stream()}, "g", "me",
                ConsumerNames.RETRY_WAITING, id);

        assertEquals(List.of(1L), renewed);
        assertEquals(0L, reschedule(id, 1), "delivery 1 is not the lease any more");
        assertEquals(1L, reschedule(id, 2), "a renewal did not raise the count");
    }

    @Test
    void anAcknowledgementOfAnEarlierDeliveryIsRefused() {
        String id = heldAgain();

        assertEquals(List.of(0L), complete(id, 1));
        assertEquals(List.of(1L), complete(id, 2));
    }

    @Test
    void anAcknowledgementWrittenAgainAfterItWasAppliedIsSettledNotALostLease() {
        String id = heldAgain();

        assertEquals(List.of(1L), complete(id, 2));
        assertEquals(List.of(-1L), complete(id, 2), "not pending at all: -1, told apart from another's lease (0)");
    }

    @Test
    void aDeadLetterOfAnEarlierDeliveryIsRefused() {
        String id = heldAgain();

        assertEquals(0L, deadLetter(id, 1));
        assertEquals(1L, deadLetter(id, 2));
        assertEquals("1", redis.hget(keys.groupStats(), "deadLettered"));
    }

    private Long reschedule(String id, long lease) {
        return onRedis.scripts.run(Script.RESCHEDULE, new String[] {keys.stream(), keys.progress(Keys.MAIN, id),
                keys.retrySet(), keys.groupStats()}, "g", "me", id, Keys.member(Keys.MAIN, id), "1000", "60000", "1",
                ConsumerNames.RETRY_WAITING, Long.toString(lease), "attempts:s", "1", "due:s", "1000");
    }

    private List<Object> complete(String id, long lease) {
        return onRedis.scripts.run(Script.COMPLETE, new String[] {keys.stream(), keys.groupStats()}, "g", "me",
                keys.progressPrefix() + Keys.MAIN + "|", "completed", id, id, "-" + id, Long.toString(lease));
    }

    private Long deadLetter(String id, long lease) {
        String eventId = "7f0c3d4e-1111-4222-8333-944455566677";
        return onRedis.scripts.run(Script.DEAD_LETTER, new String[] {keys.stream(), keys.progress(Keys.MAIN, id),
                keys.deadLetter(eventId), keys.deadLetterIndex(), keys.groupStats(), keys.retrySet()}, "g", "me", id,
                Keys.member(Keys.MAIN, id), eventId, "60000", "1", Long.toString(lease), "eventId", eventId, "name",
                "x", "subscriptions", "s", "attempts", "1", "error", "boom", "envelope", "{}", "entryId", id);
    }
}
