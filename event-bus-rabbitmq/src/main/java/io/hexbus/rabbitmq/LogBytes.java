package io.hexbus.rabbitmq;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The binary layout the stream logs ({@link DeadLetterLog}, {@link StatsLog}) write their records in: big-endian
 * numbers, UUIDs as two longs, text as a length and strict UTF-8. A {@link Reader} refuses anything short, long,
 * negative where a count is expected, or not UTF-8, with an {@link IllegalArgumentException}.
 *
 * <p>Not thread-safe: a writer or reader serves one record.
 */
final class LogBytes {

    private LogBytes() {
    }

    /** Builds one record's bytes. */
    static final class Writer {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        Writer bytes(int... values) {
            for (int value : values) {
                out.write(value);
            }
            return this;
        }

        Writer integer(int value) {
            return number(value, Integer.BYTES);
        }

        Writer number(long value) {
            return number(value, Long.BYTES);
        }

        Writer uuid(UUID value) {
            return number(value.getMostSignificantBits()).number(value.getLeastSignificantBits());
        }

        Writer text(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            integer(utf8.length);
            out.write(utf8, 0, utf8.length);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private Writer number(long value, int size) {
            for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift) & 0xff);
            }
            return this;
        }
    }

    /** Reads one record's bytes back, strictly. */
    static final class Reader {

        private final ByteBuffer in;

        Reader(byte[] body) {
            this.in = ByteBuffer.wrap(body);
        }

        int unsignedByte() {
            return need(() -> in.get() & 0xff);
        }

        int count(String what) {
            int count = need(in::getInt);
            if (count < 0 || count > in.remaining()) {
                throw new IllegalArgumentException(what + " has a count of " + count + " with " + in.remaining()
                        + " bytes left");
            }
            return count;
        }

        int integer() {
            return need(in::getInt);
        }

        long number() {
            return need(in::getLong);
        }

        long notNegative(String what) {
            long value = number();
            if (value < 0) {
                throw new IllegalArgumentException(what + " is negative: " + value);
            }
            return value;
        }

        UUID uuid() {
            long most = number();
            return new UUID(most, number());
        }

        String text(String what) {
            int length = count(what);
            ByteBuffer utf8 = in.slice().limit(length);
            in.position(in.position() + length);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(utf8);
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + " is not UTF-8", e);
            }
        }

        void end() {
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes past the end of the record");
            }
        }

        private static <T> T need(java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("the record ends early", e);
            }
        }
    }
}
