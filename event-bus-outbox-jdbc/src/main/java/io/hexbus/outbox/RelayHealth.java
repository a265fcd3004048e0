package io.hexbus.outbox;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the relay's passes met: events forwarded, the last error, since when passes fail. Written by the relay's
 * thread, read by any.
 */
final class RelayHealth {

    private final AtomicLong forwarded = new AtomicLong();
    private volatile String lastError;
    private volatile Instant failingSince;
    private int failures; // the relay's thread only

    void succeeded(int forwardedNow) {
        forwarded.addAndGet(forwardedNow);
        failures = 0;
        failingSince = null;
    }

    /**
     * @return the failures in a row, this one included
     */
    int failed(String reason, Instant now) {
        lastError = reason;
        if (failures++ == 0) {
            failingSince = now;
        }
        return failures;
    }

    int failures() {
        return failures;
    }

    long forwarded() {
        return forwarded.get();
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }
}
