package io.hexbus.inmemory;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.codec.EventCodec;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What the transports of this package do with an event before they take it: the refusals every transport makes,
 * then the dedupe window, told to the observer. Allocates nothing per event but what the chosen check does (the
 * in-memory bus's publish path goes through here). Thread-safe.
 */
final class Admission {

    /** How much of the wire contract is checked beyond the event's registration. */
    enum Check {
        /** The codec's round trip: encoded within its size limit and read back equal. */
        ROUND_TRIP,
        /** The codec's encoding only, so its size limit holds. */
        ENCODE,
        /**
         * Only that the type is registered and its ordering key is valid: the in-memory bus with its wire check off,
         * on a hot path.
         */
        NAME
    }

    private final EventTypeRegistry eventTypes;
    private final EventCodec codec;
    private final Check check;
    private final RecentEventIds recentIds;
    private final Clock clock;

    /**
     * @param codec    the codec of the transport, over the registry its events are named by
     * @param check    how much of the wire contract is checked
     * @param settings the dedupe window
     * @param clock    the clock that ages remembered ids and dates an encoding
     */
    Admission(EventCodec codec, Check check, InMemoryEventBusSettings settings, Clock clock) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.eventTypes = codec.eventTypes();
        this.check = Objects.requireNonNull(check, "check");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recentIds = new RecentEventIds(Objects.requireNonNull(settings, "settings"), clock);
    }

    /**
     * @return the event's name
     * @throws RuntimeException what every transport throws for an event it refuses (the codec's and the
     *                          registry's exceptions, a {@link NullPointerException} for a null event or id)
     */
    String nameOf(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.eventId() == null) { // no message lambda: this is the hot path
            throw new NullPointerException(event.getClass().getName() + ".eventId() is null");
        }
        if (check == Check.ENCODE) {
            return codec.encode(event, clock.instant()).name();
        }
        String name = eventTypes.nameOf(event.getClass());
        if (check == Check.ROUND_TRIP) {
            codec.checkRoundTrip(event);
        } else {
            EventCodec.checkOrderingKey(event); // the encoding checks it in the other cases
        }
        return name;
    }

    /**
     * Checks a whole batch before any of it is taken, so that a refused batch leaves nothing behind.
     *
     * @return the events' names, in order
     * @throws RuntimeException as {@link #nameOf}, for the first event refused
     */
    String[] namesOf(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        String[] names = new String[events.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = nameOf(events.get(i));
        }
        return names;
    }

    /**
     * Records a checked event's id and tells the observer it was published.
     *
     * @return true if the id is new, false if it was seen within the dedupe window
     */
    boolean markSeen(String name, DomainEvent event, DeliveryObserver observer) {
        boolean isNew = recentIds.markSeen(event.eventId());
        observer.published(name, event.eventId(), !isNew);
        return isNew;
    }
}
