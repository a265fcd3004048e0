package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DeadLetterLog}'s bytes: every record comes back equal; anything else is refused. */
class DeadLetterLogTest {

    private static final DeadLetter LETTER = new DeadLetter(UUID.randomUUID(), "order.placed",
            List.of("billing", "emails ✉"), 5, "java.lang.IllegalStateException: no\n\tat x.y(Z.java:1)",
            Instant.ofEpochMilli(1_764_770_000_123L), Instant.ofEpochMilli(1_764_770_009_456L),
            "{\"id\":\"…\",\"payload\":{\"total\":12}}");

    @Test
    void everyKindComesBackEqual() {
        List<DeadLetterLog.Entry> entries = List.of(new DeadLetterLog.DeadLettered(LETTER),
                new DeadLetterLog.DeadLettered(new DeadLetter(UUID.randomUUID(), "?", List.of(), 0, "",
                        Instant.EPOCH, Instant.EPOCH, "")),
                new DeadLetterLog.Removed(LETTER.eventId(), 17), new DeadLetterLog.Retried(LETTER.eventId(), 0),
                new DeadLetterLog.Cleaned(1_764_770_000_000L), new DeadLetterLog.Cleaned(Long.MIN_VALUE));
        for (DeadLetterLog.Entry entry : entries) {
            assertEquals(entry, DeadLetterLog.decode(DeadLetterLog.encode(entry)));
        }
    }

    @Test
    void aLargeEnvelopeComesBackEqual() {
        String envelope = "x".repeat(300_000);
        DeadLetter large = new DeadLetter(LETTER.eventId(), "n", List.of("s"), 1, "e", Instant.EPOCH, Instant.EPOCH,
                envelope);
        assertEquals(envelope, ((DeadLetterLog.DeadLettered) DeadLetterLog.decode(
                DeadLetterLog.encode(new DeadLetterLog.DeadLettered(large)))).letter().envelope());
    }

    @Test
    void anythingElseIsRefused() {
        byte[] good = DeadLetterLog.encode(new DeadLetterLog.DeadLettered(LETTER));
        refused(new byte[0], "ends early");
        refused("{\"eventId\":1}".getBytes(StandardCharsets.UTF_8), "version");
        refused(withByte(good, 0, 2), "version 2");
        refused(withByte(good, 1, 9), "unknown kind 9");
        refused(Arrays.copyOf(good, good.length - 1), "");
        refused(Arrays.copyOf(good, good.length + 1), "past the end");
        byte[] removed = DeadLetterLog.encode(new DeadLetterLog.Removed(LETTER.eventId(), 3));
        refused(withByte(removed, 18, 0x80), "negative"); // the offset's first byte: a negative offset
        byte[] notUtf8 = new LogBytes.Writer().bytes(1, 1).uuid(LETTER.eventId()).integer(1).bytes(0xff).toBytes();
        refused(notUtf8, "UTF-8");
        byte[] hugeCount = new LogBytes.Writer().bytes(1, 1).uuid(LETTER.eventId()).integer(Integer.MAX_VALUE)
                .toBytes();
        refused(hugeCount, "count");
        byte[] negativeAttempts = new LogBytes.Writer().bytes(1, 1).uuid(LETTER.eventId()).text("n").integer(0)
                .integer(-1).text("e").number(0).number(0).text("").toBytes();
        refused(negativeAttempts, "attempts");
    }

    @Test
    void whatWouldNotReadBackIsNotWritten() {
        DeadLetter negative = new DeadLetter(LETTER.eventId(), "n", List.of(), -1, "e", Instant.EPOCH, Instant.EPOCH,
                "");
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterLog.DeadLettered(negative));
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterLog.Removed(LETTER.eventId(), -1));
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterLog.Retried(LETTER.eventId(), -1));
    }

    private static void refused(byte[] body, String saying) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLog.decode(body));
        assertTrue(refused.getMessage().contains(saying), refused.getMessage());
    }

    private static byte[] withByte(byte[] body, int index, int value) {
        byte[] copy = body.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
