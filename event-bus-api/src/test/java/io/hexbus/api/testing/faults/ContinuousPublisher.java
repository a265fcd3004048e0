package io.hexbus.api.testing.faults;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@link ParcelSent} events one at a time on a thread of its own until stopped, at most one per
 * {@code pace}, recording each id whose publish returned ({@link #acknowledged()}) and each whose publish failed
 * ({@link #uncertain()}: a write that timed out may still have happened). A failed publish is not repeated: the next
 * event follows.
 */
public final class ContinuousPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousPublisher.class);

    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<UUID> uncertain = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;

    public ContinuousPublisher(EventBus bus, Duration pace) {
        thread = new Thread(() -> {
            for (int number = 1; !stopped; number++) {
                ParcelSent event = ParcelSent.numbered(number);
                try {
                    bus.publish(event);
                    acknowledged.add(event.eventId());
                } catch (EventPublishingException e) {
                    uncertain.add(event.eventId());
                    if (uncertain.size() == 1) { // one line: a broker down fails every publish alike
                        LOG.info("Publish {} failed: {}", number, e.getMessage());
                    }
                }
                LockSupport.parkNanos(pace.toNanos()); // a steady flow, not a flood
            }
        }, "continuous-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the ids whose publish returned so far */
    public Set<UUID> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** @return how many publishes returned so far */
    public int acknowledgedCount() {
        return acknowledged.size();
    }

    /** @return the ids whose publish failed so far */
    public Set<UUID> uncertain() {
        return Set.copyOf(uncertain);
    }

    /** Stops publishing and waits for the publish under way (bounded by the bus's own timeouts). */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
