package io.hexbus.engine.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Jittered exponential backoff between tries of a backend call that failed: 100 ms doubling up to 5 s. */
final class Backoff {

    private Backoff() {
    }

    /**
     * @param previous the last backoff, {@link Duration#ZERO} before the first
     * @return the next one: half of the step, plus a random part of up to the other half
     */
    static Duration next(Duration previous) {
        long next = previous.isZero() ? 100 : Math.min(5_000, previous.toMillis() * 2);
        return Duration.ofMillis(next / 2 + ThreadLocalRandom.current().nextLong(next / 2 + 1));
    }

    /**
     * Waits out a backoff; between tries, not synchronisation.
     *
     * @return false if interrupted meanwhile (the interrupt flag is set again)
     */
    static boolean pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
