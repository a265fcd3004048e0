package io.hexbus.spring.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox's lag as the {@code hexbus} health indicator shows it, in JDK types only (the indicator loads without the
 * outbox module). Immutable.
 *
 * @param healthy          false while its relay has failed for more than {@value #MAX_FAILING_SECONDS} s or an event
 *                         has waited more than {@value #MAX_WAITING_AGE_SECONDS} s: the outbox cannot forward
 * @param waiting          events committed and not yet forwarded to the transport
 * @param oldestWaitingAge how long the oldest of them has waited; zero when none waits
 * @param dead             events that can never be forwarded, kept with their reason
 * @param failingSince     since when the relay's passes have been failing; empty while they succeed or no relay runs
 */
public record HexbusOutboxLag(boolean healthy, long waiting, Duration oldestWaitingAge, long dead,
                              Optional<Instant> failingSince) {

    /** How long the relay may fail in a row before the outbox is unhealthy, as in the Guice app. */
    public static final long MAX_FAILING_SECONDS = 30;
    /** How long an event may wait before the outbox is unhealthy, as in the Guice app. */
    public static final long MAX_WAITING_AGE_SECONDS = 60;

    /**
     * @param healthy          whether it forwards
     * @param waiting          events waiting
     * @param oldestWaitingAge the oldest's wait
     * @param dead             events dead
     * @param failingSince     since when the relay fails, if it does
     * @throws NullPointerException if the age or {@code failingSince} is null
     */
    public HexbusOutboxLag {
        Objects.requireNonNull(oldestWaitingAge, "oldestWaitingAge");
        Objects.requireNonNull(failingSince, "failingSince");
    }
}
