package io.hexbus.api.scheduling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Derives a tick's event id from the schedule name and the tick's time: the same on every instance, so the
 * bus's dedupe makes N publications of one tick one event.
 *
 * <p>The id is a UUID of version 8 (RFC 9562, custom layout) laid out like the project's version-7 ids
 * ({@link io.hexbus.api.event.EventIds}): the top 48 bits are the tick's Unix milliseconds, so ids sort by tick
 * time; the other 74 free bits are the first bits of SHA-256 over the name (UTF-8), a zero byte and the tick's
 * milliseconds (8 bytes, big-endian). Pure and thread-safe.
 */
public final class TickIds {

    private TickIds() {
    }

    /**
     * @param schedule the schedule name
     * @param at       the tick's time; precision below a millisecond is ignored
     * @return the tick's event id, version 8
     */
    public static UUID of(String schedule, Instant at) {
        Objects.requireNonNull(schedule, "schedule");
        long millis = Objects.requireNonNull(at, "at").toEpochMilli();
        byte[] name = schedule.getBytes(StandardCharsets.UTF_8);
        ByteBuffer hash = ByteBuffer.wrap(sha256(ByteBuffer.allocate(name.length + 9)
                .put(name).put((byte) 0).putLong(millis).array()));
        long randA = hash.getShort() & 0x0FFFL;
        long randB = hash.getLong();
        long msb = (millis << 16) | 0x8000L | randA;
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
