package io.hexbus.api.conformance;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.EventHandler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Handlers that hold their thread on purpose, for the tests of timeouts and shutdown. */
public final class StuckHandlers {

    private StuckHandlers() {
    }

    /**
     * A handler whose first attempt hangs until {@code release} opens, ignoring interrupts, so that only a timeout
     * frees its slot; later attempts return at once.
     *
     * @param attempts counts every attempt
     * @param release  opens the first attempt
     * @param <E>      the event type
     * @return the handler
     */
    public static <E extends DomainEvent> EventHandler<E> hangingOnFirstAttempt(AtomicInteger attempts,
                                                                                CountDownLatch release) {
        return event -> {
            if (attempts.incrementAndGet() == 1) {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // keep hanging: the point is a handler that ignores its interrupt
                    }
                }
            }
        };
    }
}
