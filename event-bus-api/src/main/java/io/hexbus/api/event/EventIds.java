package io.hexbus.api.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates event ids: time-ordered UUIDs of version 7 (RFC 9562), so ids sort roughly by creation time
 * and index well in any store.
 *
 * <p>Thread-safe. Each call draws 74 random bits, so ids made in the same millisecond differ too.
 */
public final class EventIds {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param clock the clock whose milliseconds go into the ids
     */
    public EventIds(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A new UUIDv7 from the system clock.
     *
     * @return a new id; never null
     */
    public static UUID newId() {
        return Holder.SYSTEM.next();
    }

    /**
     * A new UUIDv7 from this generator's clock.
     *
     * @return a new id; never null
     */
    public UUID next() {
        long millis = clock.millis();
        long randA = random.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * The Unix milliseconds a version-7 id was made at.
     *
     * @param id a version-7 UUID
     * @return the milliseconds since the epoch
     * @throws IllegalArgumentException if {@code id} is not version 7
     */
    public static long timestampOf(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("UUID " + id + " is version " + id.version() + ", not 7");
        }
        return id.getMostSignificantBits() >>> 16;
    }

    // Lazily created, immutable after: the one shared generator behind newId().
    private static final class Holder {
        private static final EventIds SYSTEM = new EventIds(Clock.systemUTC());
    }
}
