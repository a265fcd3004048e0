package io.hexbus.inmemory.testing;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An {@link EventBus} for tests that records what was published, so a test can assert on it through
 * {@link #events()}:
 *
 * <pre>{@code
 * RecordingEventBus bus = new RecordingEventBus();
 * new IssueInvoiceUseCase(invoices, bus).issue(command);
 * InvoiceIssued issued = bus.events().ofType(InvoiceIssued.class).single();
 * bus.events().ofType(InvoiceRejected.class).assertNone();
 * }</pre>
 *
 * <p>Alone, it dispatches nothing, but it refuses what every real bus refuses, with the same exceptions: an
 * event type without a registered name, an event over the size limit, an invalid ordering key, one that does not
 * read back equal from its JSON ({@link EventCodec#checkRoundTrip(DomainEvent)}). {@link #forwardingTo(EventBus)} records and
 * forwards to a real bus, which does that check itself, so handlers run too. Either way a repeated event id
 * is reported as a duplicate and recorded once. An event counts as published when the bus accepted it, even
 * if its handlers then failed. Thread-safe.
 *
 * <p>Delayed publishes ({@link #publishAll(List, PublishOptions)}) are recorded with their options, which
 * {@link PublishedEvents#optionsOf(DomainEvent)} shows; alone, the recorder accepts them whatever transport the
 * application runs on (forwarding, the delegate refuses them if it cannot delay).
 */
public final class RecordingEventBus implements EventBus {

    private final EventBus delegate;
    private final EventCodec codec; // null when forwarding: the delegate checks
    private final Set<UUID> ids = new HashSet<>();
    private final List<DomainEvent> published = new ArrayList<>();
    private final Map<UUID, PublishOptions> options = new HashMap<>();

    /**
     * A recorder that dispatches nothing and checks events with the default codec, over a registry of its own
     * that knows every type annotated with {@link io.hexbus.api.event.EventName}.
     */
    public RecordingEventBus() {
        this(EventCodec.of(new EventTypeRegistry()));
    }

    /**
     * A recorder that dispatches nothing and checks events with the application's codec: its registry (for types
     * registered by an explicit name), modules and size limit.
     *
     * @param codec the codec the application's transport uses
     */
    public RecordingEventBus(EventCodec codec) {
        this.delegate = null;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    private RecordingEventBus(EventBus delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.codec = null;
    }

    /**
     * A recorder in front of a real bus: events are recorded and then published through {@code delegate}.
     *
     * @param delegate the bus that delivers the events
     * @return the recorder
     */
    public static RecordingEventBus forwardingTo(EventBus delegate) {
        return new RecordingEventBus(delegate);
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        return publishAll(events, PublishOptions.NOW);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: recorded with {@code options}; forwarded with them when forwarding.
     */
    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events, PublishOptions publishOptions) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(publishOptions, "options");
        events.forEach(event -> Objects.requireNonNull(event.eventId(), "eventId"));
        if (delegate == null) {
            events.forEach(codec::checkRoundTrip); // all or none, as on a real bus
            return record(events, publishOptions);
        }
        List<PublishOutcome> outcomes;
        try {
            outcomes = publishOptions.equals(PublishOptions.NOW) ? delegate.publishAll(events)
                    : delegate.publishAll(events, publishOptions);
        } catch (EventHandlingException handlersFailed) {
            record(events, publishOptions); // accepted, then its handlers failed: it was published all the same
            throw handlersFailed;
        }
        record(events, publishOptions);
        return outcomes;
    }

    /**
     * @return a snapshot of the events published so far, in publish order, duplicates left out
     */
    public synchronized PublishedEvents events() {
        return new PublishedEvents(published, options);
    }

    /** Forgets every recorded event and id. */
    public synchronized void clear() {
        published.clear();
        ids.clear();
        options.clear();
    }

    private synchronized List<PublishOutcome> record(List<? extends DomainEvent> events, PublishOptions publishOptions) {
        List<PublishOutcome> outcomes = new ArrayList<>(events.size());
        for (DomainEvent event : events) {
            boolean isNew = ids.add(event.eventId());
            if (isNew) {
                published.add(event);
                options.put(event.eventId(), publishOptions);
            }
            outcomes.add(isNew ? PublishOutcome.PUBLISHED : PublishOutcome.DUPLICATE);
        }
        return List.copyOf(outcomes);
    }
}
