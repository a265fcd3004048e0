package io.hexbus.rabbitmq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReadThrottle} on a clock the test moves: one read per interval, again at once when expired or failed. */
class ReadThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final ReadThrottle throttle = new ReadThrottle(Duration.ofSeconds(1), nanos::get);

    @Test
    void readsAtMostOncePerInterval() {
        assertTrue(throttle.readIfDue(reads::incrementAndGet), "the first call reads");
        nanos.addAndGet(999_999_999);
        assertFalse(throttle.readIfDue(reads::incrementAndGet));
        nanos.addAndGet(1);
        assertTrue(throttle.readIfDue(reads::incrementAndGet), "a second after the last read started");
        assertEquals(2, reads.get());
    }

    @Test
    void readsAgainAtOnceOnceExpired() {
        throttle.readIfDue(reads::incrementAndGet);
        throttle.expire();
        assertTrue(throttle.readIfDue(reads::incrementAndGet));
        assertFalse(throttle.readIfDue(reads::incrementAndGet), "expired once, not for good");
        assertEquals(2, reads.get());
    }

    @Test
    void aReadThatFailedDoesNotCount() {
        assertThrows(IllegalStateException.class, () -> throttle.readIfDue(() -> {
            throw new IllegalStateException("broker gone");
        }));
        assertTrue(throttle.readIfDue(reads::incrementAndGet));
        assertThrows(IllegalArgumentException.class, () -> new ReadThrottle(Duration.ofNanos(-1), nanos::get));
    }
}
