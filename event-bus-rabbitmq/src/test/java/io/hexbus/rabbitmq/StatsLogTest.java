package io.hexbus.rabbitmq;

import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionCounts;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StatsLog}'s bytes: reports and checkpoints come back equal; anything else is refused. */
class StatsLogTest {

    private static final StatsReport REPORT = new StatsReport("worker-1 on host/ä", 12, 3, 1, 2, 5, 4, 6, 2,
            1_764_770_000_123L);

    @Test
    void everyKindComesBackEqual() {
        StatsLog.Checkpoint checkpoint = new StatsLog.Checkpoint(new StatsLog.Counters(Long.MAX_VALUE, 1, 2, 3, 4),
                Map.of("w1", 0L, "w2", 99L), 1_764_770_000_000L);
        StatsLog.Checkpoint empty = new StatsLog.Checkpoint(StatsLog.Counters.ZERO, Map.of(), 0);
        StatsLog.Checkpoint perSubscription = new StatsLog.Checkpoint(StatsLog.Counters.ZERO, Map.of("w1", 3L), 7,
                Map.of("mail", new SubscriptionCounts(1, 2, 3, 4), "sms", SubscriptionCounts.ZERO));
        StatsActivity activity = new StatsActivity("worker-1", Map.of("mail", new SubscriptionCounts(5, 1, 1, 0)),
                Map.of("mail", DurationWindow.of(1_000_000, 2_000_000).encode()), 1_764_770_000_123L, true);
        StatsActivity idle = new StatsActivity("worker-2", Map.of(), Map.of(), 0, true);
        StatsActivity countsOnly = new StatsActivity("worker-2", Map.of("sms", SubscriptionCounts.ZERO), Map.of(), 9,
                false);
        for (StatsLog.Entry entry : new StatsLog.Entry[] {REPORT, checkpoint, empty, perSubscription, activity, idle,
                countsOnly}) {
            assertEquals(entry, StatsLog.decode(StatsLog.encode(entry)));
        }
    }

    @Test
    void aCheckpointWithoutSubscriptionsKeepsThePreviousVersionsKind() {
        StatsLog.Checkpoint plain = new StatsLog.Checkpoint(new StatsLog.Counters(1, 2, 3, 4, 5), Map.of("w1", 3L), 7);
        StatsLog.Checkpoint perSubscription = new StatsLog.Checkpoint(StatsLog.Counters.ZERO, Map.of("w1", 3L), 7,
                Map.of("mail", new SubscriptionCounts(1, 2, 3, 4)));
        assertEquals(2, StatsLog.encode(plain)[1], "a reader of the previous version knows kind 2 only");
        assertEquals(4, StatsLog.encode(perSubscription)[1]);
    }

    @Test
    void anythingElseIsRefused() {
        byte[] good = StatsLog.encode(REPORT);
        refused(new byte[0], "ends early");
        refused(withByte(good, 0, 0), "version 0");
        refused(withByte(good, 1, 9), "unknown kind 9");
        refused(Arrays.copyOf(good, good.length - 1), "ends early");
        refused(Arrays.copyOf(good, good.length + 1), "past the end");
        refused(new LogBytes.Writer().bytes(1, 1).text("w").number(-1).number(0).number(0).number(0).number(0)
                .number(0).number(0).number(0).number(0).toBytes(), "completed");
        refused(new LogBytes.Writer().bytes(1, 1).text("w").number(0).number(0).number(0).number(0).number(0)
                .number(0).number(1).number(2).number(0).toBytes(), "settling");
        refused(new LogBytes.Writer().bytes(1, 1).text("").number(0).number(0).number(0).number(0).number(0)
                .number(0).number(0).number(0).number(0).toBytes(), "name");
        refused(new LogBytes.Writer().bytes(1, 2).number(0).number(0).number(0).number(0).number(0).number(0)
                .integer(2).text("w").number(1).text("w").number(2).toBytes(), "twice");
        refused(new LogBytes.Writer().bytes(1, 2).number(0).number(0).number(0).number(0).number(0).number(0)
                .integer(1).text("w").number(-1).toBytes(), "absorbed");
        refused(new LogBytes.Writer().bytes(1, 3).text("w").number(0).integer(1).text("mail").number(-1).number(0)
                .number(0).number(0).bytes(0).toBytes(), "handled");
        refused(new LogBytes.Writer().bytes(1, 3).text("w").number(0).integer(2).text("mail").number(0).number(0)
                .number(0).number(0).text("mail").number(0).number(0).number(0).number(0).bytes(0).toBytes(),
                "twice");
        refused(new LogBytes.Writer().bytes(1, 3).text("w").number(0).integer(0).bytes(1).integer(2).text("mail")
                .text("x").text("mail").text("y").toBytes(), "twice");
        refused(new LogBytes.Writer().bytes(1, 3).text("w").number(0).integer(0).bytes(2).toBytes(), "flag");
    }

    private static void refused(byte[] body, String saying) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> StatsLog.decode(body));
        assertTrue(refused.getMessage().contains(saying), refused.getMessage());
    }

    private static byte[] withByte(byte[] body, int index, int value) {
        byte[] copy = body.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
