package io.hexbus.sample.testing;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import org.mockito.ArgumentCaptor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/** Reads what a use case published on a mocked {@link EventBus}. */
public final class Published {

    /** The instant every use-case test runs at. */
    public static final Instant NOW = Instant.parse("2026-11-23T09:30:00Z");

    /** A clock stopped at {@link #NOW}. */
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Published() {
    }

    /**
     * @param bus  the mock
     * @param type the event type expected
     * @param <E>  the event type
     * @return the one event published, verified to be the only publish call
     */
    public static <E extends DomainEvent> E theOnly(EventBus bus, Class<E> type) {
        ArgumentCaptor<DomainEvent> captor = ArgumentCaptor.forClass(DomainEvent.class);
        verify(bus).publish(captor.capture());
        return type.cast(captor.getValue());
    }

    /**
     * @param bus the mock, which must have seen no call at all
     */
    public static void nothing(EventBus bus) {
        verifyNoInteractions(bus);
    }
}
