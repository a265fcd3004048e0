package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;
import io.hexbus.rabbitmq.LedgerRecord.Sync;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ledger message bodies: every record kind, strings of any character, and the strict refusals. */
class LedgerCodecTest {

    private static final List<LedgerRecord> EVERY_KIND = List.of(
            new Claim("a5b1c2d3-0000-4000-8000-000000000001", 0, "m-1"),
            new Settle("a5b1c2d3-0000-4000-8000-000000000001", 0, Outcome.RETRY, "1;0;;;a=1,;a=1000,;boom"),
            new Claim("a5b1c2d3-0000-4000-8000-000000000001", 1, "m-2", "billing-3f2a9c1d"),
            new Claim("a5b1c2d3-0000-4000-8000-000000000001", 2, "m-3", "billing-3f2a9c1d", "parcel.shipped"),
            new LedgerRecord.Alive("billing-3f2a9c1d", List.of("m-1", "m-2")),
            new LedgerRecord.Alive("billing-3f2a9c1d", List.of()),
            new Settle("a5b1c2d3-0000-4000-8000-000000000001", 1, Outcome.DONE, null),
            new Settle("other", Integer.MAX_VALUE, Outcome.DEAD, null),
            new Sync("marker"));

    @Test
    void everyKindOfRecordRoundTripsInOrderInOneBody() {
        assertEquals(EVERY_KIND, LedgerCodec.decode(LedgerCodec.encode(EVERY_KIND)));
    }

    @Test
    void anEmptyBatchRoundTrips() {
        assertEquals(List.of(), LedgerCodec.decode(LedgerCodec.encode(List.of())));
    }

    @Test
    void stringsMayHoldAnyCharacter() {
        List<String> strange = List.of("", "id/retry-id", "with spaces ", "line\nbreak\r\n", "tab\t;,=\\\"'",
                "ünïcödé ид 標識", "emoji 🎉 pair", "\u0000nul", "x".repeat(70_000));
        for (String value : strange) {
            List<LedgerRecord> records = List.of(new Claim(value, 3, value, value), new Sync(value),
                    new LedgerRecord.Alive(value, List.of(value, value)),
                    new Settle(value, 200, Outcome.RETRY, value), new Settle(value, 128, Outcome.DEAD, null));
            assertEquals(records, LedgerCodec.decode(LedgerCodec.encode(records)), () -> "for " + value.length());
        }
    }

    @Test
    void aClaimWithoutAnEventNameKeepsThePreviousVersionsTag() {
        int tagAt = LedgerCodec.encode(List.of()).length; // the magic, the version and a one-byte count
        assertEquals(1, LedgerCodec.encode(List.of(new Claim("l", 0, "m", "w")))[tagAt],
                "a worker of the previous version reads tag 1 and skips a whole message with an unknown tag");
        assertEquals(5, LedgerCodec.encode(List.of(new Claim("l", 0, "m", "w", "parcel.shipped")))[tagAt]);
    }

    @Test
    void aClaimOfUuidsTakesFewBytes() {
        String uuid = "a5b1c2d3-0000-4000-8000-000000000001";
        int empty = LedgerCodec.encode(List.of()).length;
        assertEquals(77, LedgerCodec.encode(List.of(new Claim(uuid, 0, uuid))).length - empty);
        assertEquals(93, LedgerCodec.encode(List.of(new Claim(uuid, 0, uuid, "billing-3f2a9c1d"))).length - empty);
        assertEquals(108, LedgerCodec.encode(List.of(new Claim(uuid, 0, uuid, "billing-3f2a9c1d",
                "parcel.shipped"))).length - empty, "a named claim: its name's length and 1 more");
    }

    @Test
    void anUnpairedSurrogateIsRefusedOnEncode() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LedgerCodec.encode(List.of(new Claim("lone \uD800 high", 0, "m"))));
        assertTrue(refused.getMessage().contains("lineage"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LedgerCodec.encode(List.of(new Sync("ends high \uD83C"))));
        assertThrows(IllegalArgumentException.class,
                () -> LedgerCodec.encode(List.of(new Claim("l", 0, "\uDC00 low first"))));
    }

    @Test
    void everyTruncationOfAValidBodyIsRefused() {
        byte[] body = LedgerCodec.encode(EVERY_KIND);
        for (int length = 0; length < body.length; length++) {
            byte[] prefix = Arrays.copyOf(body, length);
            assertThrows(IllegalArgumentException.class, () -> LedgerCodec.decode(prefix),
                    () -> "length " + prefix.length);
        }
    }

    @Test
    void bytesAfterTheLastRecordAreRefused() {
        byte[] body = LedgerCodec.encode(EVERY_KIND);
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        assertRefused(longer, "after the last record");
    }

    @Test
    void anotherMagicOrVersionIsRefused() {
        assertRefused(null, "no body");
        assertRefused(new byte[0], "magic");
        assertRefused("{\"json\":true}".getBytes(StandardCharsets.UTF_8), "magic");
        byte[] body = LedgerCodec.encode(List.of(new Sync("s")));
        body[3] = 2;
        assertRefused(body, "version 1");
    }

    @Test
    void anUnknownTagOrOutcomeIsRefused() {
        byte[] tag = LedgerCodec.encode(List.of(new Sync("s")));
        tag[5] = 9;
        assertRefused(tag, "unknown record tag 9");
        byte[] outcome = LedgerCodec.encode(List.of(new Settle("l", 0, Outcome.DONE, null)));
        outcome[outcome.length - 1] = 3;
        assertRefused(outcome, "unknown outcome 3");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = LedgerCodec.encode(List.of(new Sync("ab")));
        body[body.length - 1] = (byte) 0xC3; // a lead byte with no continuation
        assertRefused(body, "marker is not UTF-8");
    }

    @Test
    void oversizedOrOverlongNumbersAreRefused() {
        byte[] magic = {'H', 'X', 'L', 1};
        assertRefused(concat(magic, new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}),
                "too large");
        assertRefused(concat(magic, new byte[]{(byte) 0x80, 0x00}), "fewest bytes");
        assertRefused(concat(magic, new byte[]{100, 3}), "a count of 100 records in 1 bytes");
        byte[] longString = concat(magic, new byte[]{1, 3, (byte) 0xFF, (byte) 0xFF, 0x03, 'x'});
        assertRefused(longString, "marker of 65535 bytes");
    }

    private static void assertRefused(byte[] body, String why) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LedgerCodec.decode(body));
        assertTrue(refused.getMessage().startsWith("malformed ledger message"), refused.getMessage());
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
