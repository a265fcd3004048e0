package io.hexbus.inmemory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The ids published lately, bounded by count and by age. Thread-safe (one lock; the critical section is a
 * hash lookup and an append).
 */
final class RecentEventIds {

    private record Seen(UUID id, long atMillis) {
    }

    private final int capacity;
    private final long windowMillis;
    private final Clock clock;
    private final Set<UUID> ids = new HashSet<>();
    // Oldest first: ids arrive in time order, so expiry and eviction both take from the head.
    private final ArrayDeque<Seen> order = new ArrayDeque<>();

    RecentEventIds(InMemoryEventBusSettings settings, Clock clock) {
        this.capacity = settings.dedupeCapacity();
        this.windowMillis = settings.dedupeWindow().toMillis();
        this.clock = clock;
    }

    /**
     * Records an id.
     *
     * @return true if it is new, false if it was seen within the window
     */
    synchronized boolean markSeen(UUID id) {
        long now = clock.millis();
        expire(now);
        if (!ids.add(id)) {
            return false;
        }
        order.addLast(new Seen(id, now));
        if (order.size() > capacity) {
            ids.remove(order.removeFirst().id());
        }
        return true;
    }

    synchronized int size() {
        return ids.size();
    }

    private void expire(long now) {
        Seen oldest;
        while ((oldest = order.peekFirst()) != null && now - oldest.atMillis() >= windowMillis) {
            order.removeFirst();
            ids.remove(oldest.id());
        }
    }
}
