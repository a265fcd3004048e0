package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.LedgerRecord.Alive;
import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;
import io.hexbus.rabbitmq.LedgerRecord.Sync;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of one ledger stream message: several {@link LedgerRecord}s, so that a worker claims a whole fetched batch
 * with one publish and one confirm.
 *
 * <p><b>Format</b> (binary, version 1): the magic bytes {@code HXL}, the version byte {@code 1}, the number of records,
 * then each record: a tag byte ({@code 1} claim, {@code 2} settle, {@code 3} sync, {@code 4} alive, {@code 5} claim
 * with an event name) and its fields in the order of its record components (a claim of tag 1 without the event name,
 * which reads as empty). A number is an unsigned LEB128 varint (a round, a count, a length); a string is its UTF-8 byte
 * length then its bytes; an outcome is a byte ({@code 0} done, {@code 1} dead, {@code 2} retry), and only a retry is
 * followed by its next progress. A claim of a 36-character id by a 36-character message id takes 76 bytes, and its event name's length and 1 more
 * when named.
 *
 * <p><b>Strings</b> may hold any character (separators, newlines, any script) but an unpaired surrogate, which UTF-8
 * cannot carry: {@link #encode} refuses it rather than write another string (AMQP header strings, where lineages and
 * message ids come from, are UTF-8 and never hold one).
 *
 * <p><b>Refusals:</b> {@link #decode} accepts exactly what {@link #encode} writes: another magic or version, an unknown
 * tag or outcome, invalid UTF-8, a negative or oversized number, a body that ends early or goes on after its last
 * record all throw an {@link IllegalArgumentException} saying what and where; the reader counts and skips such a
 * message.
 *
 * <p>Stateless and thread-safe.
 */
final class LedgerCodec {

    /** The version this codec writes and reads. */
    static final int VERSION = 1;

    private static final byte[] MAGIC = {'H', 'X', 'L', VERSION};
    private static final int CLAIM = 1;
    private static final int SETTLE = 2;
    private static final int SYNC = 3;
    private static final int ALIVE = 4;
    private static final int NAMED_CLAIM = 5;
    private static final Outcome[] OUTCOMES = {Outcome.DONE, Outcome.DEAD, Outcome.RETRY};

    private LedgerCodec() {
    }

    /**
     * @param records the records of one message, in the order they are to be applied; may be empty
     * @return the message body
     * @throws IllegalArgumentException if a string holds an unpaired surrogate
     */
    static byte[] encode(List<? extends LedgerRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 80 * records.size());
        out.writeBytes(MAGIC);
        varint(out, records.size());
        for (LedgerRecord record : records) {
            // Java 17: no pattern matching for switch; the interface is sealed, so the last branch is a Sync.
            if (record instanceof Claim claim) {
                out.write(claim.eventName().isEmpty() ? CLAIM : NAMED_CLAIM);
                string(out, "lineage", claim.lineage());
                varint(out, claim.round());
                string(out, "messageId", claim.messageId());
                string(out, "owner", claim.owner());
                if (!claim.eventName().isEmpty()) {
                    string(out, "eventName", claim.eventName());
                }
            } else if (record instanceof Alive alive) {
                out.write(ALIVE);
                string(out, "worker", alive.worker());
                varint(out, alive.holding().size());
                for (String held : alive.holding()) {
                    string(out, "holding", held);
                }
            } else if (record instanceof Settle settle) {
                out.write(SETTLE);
                string(out, "lineage", settle.lineage());
                varint(out, settle.round());
                out.write(settle.outcome().ordinal());
                if (settle.outcome() == Outcome.RETRY) {
                    string(out, "nextProgress", settle.nextProgress());
                }
            } else {
                out.write(SYNC);
                string(out, "marker", ((Sync) record).marker());
            }
        }
        return out.toByteArray();
    }

    /**
     * @param body a ledger stream message's body
     * @return its records, in order
     * @throws IllegalArgumentException if the body is not exactly one of this format and version, saying why
     */
    static List<LedgerRecord> decode(byte[] body) {
        Reader in = new Reader(body);
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.remaining() == 0 || in.buffer.get() != MAGIC[i]) {
                throw in.refused(i < 3 ? "not a ledger record (no magic HXL)" : "not version " + VERSION);
            }
        }
        int count = in.varint("the record count");
        if (count > in.remaining()) { // every record takes at least 2 bytes: refuse before allocating
            throw in.refused("a count of " + count + " records in " + in.remaining() + " bytes");
        }
        List<LedgerRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int tag = in.octet("a record tag");
            records.add(switch (tag) {
                case CLAIM -> new Claim(in.string("lineage"), in.varint("round"), in.string("messageId"),
                        in.string("owner"));
                case NAMED_CLAIM -> new Claim(in.string("lineage"), in.varint("round"), in.string("messageId"),
                        in.string("owner"), in.string("eventName"));
                case ALIVE -> {
                    String worker = in.string("worker");
                    int holding = in.varint("the held count");
                    if (holding > in.remaining()) {
                        throw in.refused("a count of " + holding + " held messages in " + in.remaining() + " bytes");
                    }
                    List<String> held = new ArrayList<>(holding);
                    for (int h = 0; h < holding; h++) {
                        held.add(in.string("holding"));
                    }
                    yield new Alive(worker, held);
                }
                case SETTLE -> {
                    String lineage = in.string("lineage");
                    int round = in.varint("round");
                    int outcome = in.octet("an outcome");
                    if (outcome >= OUTCOMES.length) {
                        throw in.refused("unknown outcome " + outcome);
                    }
                    yield new Settle(lineage, round, OUTCOMES[outcome],
                            outcome == Outcome.RETRY.ordinal() ? in.string("nextProgress") : null);
                }
                case SYNC -> new Sync(in.string("marker"));
                default -> throw in.refused("unknown record tag " + tag);
            });
        }
        if (in.remaining() != 0) {
            throw in.refused(in.remaining() + " bytes after the last record");
        }
        return Collections.unmodifiableList(records);
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static void string(ByteArrayOutputStream out, String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a ledger record's " + what + " holds an unpaired surrogate at"
                        + " index " + i);
            }
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** A cursor over a body; every refusal says where. */
    private static final class Reader {

        private final ByteBuffer buffer;

        Reader(byte[] body) {
            if (body == null) {
                throw new IllegalArgumentException("malformed ledger message: no body");
            }
            this.buffer = ByteBuffer.wrap(body);
        }

        int remaining() {
            return buffer.remaining();
        }

        int octet(String what) {
            if (buffer.remaining() == 0) {
                throw refused("it ends early, expected " + what);
            }
            return buffer.get() & 0xFF;
        }

        int varint(String what) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                int b = octet(what);
                value |= (long) (b & 0x7F) << shift;
                if (value > Integer.MAX_VALUE) {
                    throw refused(what + " is too large");
                }
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw refused(what + " is not written in its fewest bytes");
                    }
                    return (int) value;
                }
                if (shift >= 28) {
                    throw refused(what + " is too long a number");
                }
            }
        }

        String string(String what) {
            int length = varint("the length of " + what);
            if (length > buffer.remaining()) {
                throw refused(what + " of " + length + " bytes in the " + buffer.remaining() + " left");
            }
            ByteBuffer bytes = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw refused(what + " is not UTF-8");
            }
        }

        IllegalArgumentException refused(String why) {
            return new IllegalArgumentException("malformed ledger message (format " + VERSION + ") at byte "
                    + buffer.position() + ": " + why);
        }
    }
}
