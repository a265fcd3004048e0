package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Routes events to their subscriptions by event name; every transport dispatches through one.
 *
 * <p>A module registers its handlers when it starts:
 *
 * <pre>{@code
 * processor.register(InvoiceIssued.class, "billing.send-invoice-email", event -> mailer.send(...));
 * processor.register(InvoiceIssued.class, new RecordInvoiceAudit(auditLog)); // named after its class
 * }</pre>
 *
 * <p>Subscription names are unique within a processor: a second registration under a taken name is
 * refused with {@link DuplicateSubscriptionException}, never a silent overwrite. A handler registered
 * without a name is named after its class, which must be a named, top-level or member class: lambdas and
 * anonymous classes have no stable name and are refused.
 *
 * <p>Thread-safe: registration and removal may happen while events are being dispatched. Lookups do not
 * lock and see the subscriptions of an event name in registration order.
 */
public final class DomainEventsProcessor {

    /** The longest subscription name accepted. */
    public static final int MAX_SUBSCRIPTION_NAME_LENGTH = 200;

    private final EventTypeRegistry eventTypes;
    private final Map<String, Subscription> subscriptionsByName = new ConcurrentHashMap<>();
    // Immutable lists, replaced whole under the lock, so dispatch reads them without locking.
    private final Map<String, List<Subscription>> subscriptionsByEvent = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final List<DeliveryObserver> observers = new ArrayList<>();
    private volatile DeliveryObserver observer = DeliveryObserver.NONE;
    // What transports hold: it reads the installed tracing at each call, so a transport built before useTracing sees
    // it all the same.
    private final ProcessorTracing tracing = new ProcessorTracing();

    /**
     * @param eventTypes the registry that names event types; types registered here by class are added to it
     */
    public DomainEventsProcessor(EventTypeRegistry eventTypes) {
        this.eventTypes = Objects.requireNonNull(eventTypes, "eventTypes");
    }

    /**
     * Adds an observer of every publish, handler attempt and dead letter of the transports that use this
     * processor. Thread-safe; meant for start-up.
     *
     * @param added the observer
     */
    public void addObserver(DeliveryObserver added) {
        Objects.requireNonNull(added, "observer");
        synchronized (lock) {
            observers.add(added);
            List<DeliveryObserver> all = List.copyOf(observers);
            observer = all.size() == 1 ? all.get(0) : new DeliveryObservers(all);
        }
    }

    /**
     * @return what transports report to: {@link DeliveryObserver#NONE} when nobody observes, never null
     */
    public DeliveryObserver observer() {
        return observer;
    }

    /**
     * Installs the tracing of every transport that uses this processor: the trace context each publish carries, and
     * the wrapper of each handler run. One per processor; meant for start-up, though transports built before see it
     * too (from their next publish or handler run). Thread-safe.
     *
     * @param installed the tracing, such as {@code HexbusTracing} of {@code event-bus-opentelemetry}
     * @throws IllegalStateException if a tracing is installed already
     * @since 0.1.0
     */
    public void useTracing(Tracing installed) {
        tracing.install(installed);
    }

    /**
     * Runs {@code publish} on the calling thread with the trace contexts stored events were first published with:
     * while it runs, {@link #tracing()} gives each listed event its carried context instead of asking the installed
     * tracing, so that events a relay republishes (the JDBC outbox's) keep the trace of their first publish. An event
     * not listed is asked for as usual. Calls may nest; each restores what it replaced.
     *
     * @param carried per event id, the trace context it was first published with
     * @param publish the publish, through any bus whose transport uses this processor
     * @param <T>     what the publish returns
     * @return what {@code publish} returned
     * @since 0.1.0
     */
    public <T> T republishing(Map<UUID, TraceContext> carried, Supplier<T> publish) {
        return tracing.republishing(carried, publish);
    }

    /**
     * What transports call at publish and around each handler run: it forwards to the tracing
     * {@linkplain #useTracing(Tracing) installed} at the time of each call, {@link Tracing#NONE} until then. It is
     * {@linkplain Tracing#isActive() active} only while one is installed or events are
     * {@linkplain #republishing republished}, so a transport built before the install sees it, and until then an
     * untraced publish need not ask it for each event.
     *
     * @return the processor's tracing; the same object for the processor's life, never null
     * @since 0.1.0
     */
    public Tracing tracing() {
        return tracing;
    }

    /** The tracing installed now, {@link Tracing#NONE} until one is: what a subscription wraps its handler in. */
    Tracing installedTracing() {
        return tracing.installed();
    }

    /**
     * @return the registry this processor resolves event names with
     */
    public EventTypeRegistry eventTypes() {
        return eventTypes;
    }

    /**
     * Registers a handler for an event type under an explicit subscription name, with default options.
     *
     * @param type         the event type; its name comes from the {@link EventTypeRegistry}
     * @param subscription the stable subscription name
     * @param handler      the handler
     * @param <E>          the event type
     * @return the handle that removes it
     * @throws DuplicateSubscriptionException if the subscription name is taken
     * @throws io.hexbus.api.event.UnknownEventTypeException if the type is neither registered nor annotated
     */
    public <E extends DomainEvent> Registration register(Class<E> type, String subscription,
                                                         EventHandler<? super E> handler) {
        return register(type, subscription, handler, SubscriptionOptions.DEFAULT);
    }

    /**
     * Registers a handler for an event type under an explicit subscription name.
     *
     * @param type         the event type
     * @param subscription the stable subscription name
     * @param handler      the handler
     * @param options      its retry policy and timeout
     * @param <E>          the event type
     * @return the handle that removes it
     * @throws DuplicateSubscriptionException if the subscription name is taken
     * @throws io.hexbus.api.event.UnknownEventTypeException if the type is neither registered nor annotated
     */
    public <E extends DomainEvent> Registration register(Class<E> type, String subscription,
                                                         EventHandler<? super E> handler,
                                                         SubscriptionOptions options) {
        Objects.requireNonNull(type, "type");
        return add(subscription, eventTypes.nameOf(type), type, handler, options);
    }

    /**
     * Registers a handler for an event type, named after the handler's class.
     *
     * @param type    the event type
     * @param handler a handler of a named class (not a lambda, not anonymous)
     * @param <E>     the event type
     * @return the handle that removes it
     * @throws IllegalArgumentException       if the handler's class has no stable name
     * @throws DuplicateSubscriptionException if a handler of that class is already registered
     */
    public <E extends DomainEvent> Registration register(Class<E> type, EventHandler<? super E> handler) {
        return register(type, stableNameOf(handler), handler, SubscriptionOptions.DEFAULT);
    }

    /**
     * Registers a handler for an event name, whatever type that name maps to, with default options.
     *
     * @param eventName    the event name
     * @param subscription the stable subscription name
     * @param handler      the handler; it receives events as {@link DomainEvent}
     * @return the handle that removes it
     * @throws DuplicateSubscriptionException if the subscription name is taken
     * @throws IllegalArgumentException       if the event name is not valid
     */
    public Registration register(String eventName, String subscription, EventHandler<? super DomainEvent> handler) {
        return register(eventName, subscription, handler, SubscriptionOptions.DEFAULT);
    }

    /**
     * Registers a handler for an event name, whatever type that name maps to.
     *
     * @param eventName    the event name
     * @param subscription the stable subscription name
     * @param handler      the handler; it receives events as {@link DomainEvent}
     * @param options      its retry policy and timeout
     * @return the handle that removes it
     * @throws DuplicateSubscriptionException if the subscription name is taken
     * @throws IllegalArgumentException       if the event name is not valid
     */
    public Registration register(String eventName, String subscription, EventHandler<? super DomainEvent> handler,
                                 SubscriptionOptions options) {
        return add(subscription, EventTypeRegistry.requireValidName(eventName), null, handler, options);
    }

    /**
     * The subscriptions of an event name, in registration order.
     *
     * @param eventName the event name
     * @return an immutable snapshot; empty when nobody subscribed
     */
    public List<Subscription> subscriptionsFor(String eventName) {
        return subscriptionsByEvent.getOrDefault(eventName, List.of());
    }

    /**
     * @param subscription a subscription name
     * @return that subscription, or empty if none is registered under it
     */
    public Optional<Subscription> subscription(String subscription) {
        return Optional.ofNullable(subscriptionsByName.get(subscription));
    }

    /**
     * @return the event names that have at least one subscription, sorted, as an immutable snapshot
     */
    public Set<String> subscribedEventNames() {
        return Set.copyOf(new TreeSet<>(subscriptionsByEvent.keySet()));
    }

    @SuppressWarnings("unchecked") // Subscription.handle checks the event's type before the handler sees it.
    private Registration add(String name, String eventName, Class<? extends DomainEvent> type,
                             EventHandler<?> handler, SubscriptionOptions options) {
        requireValidSubscriptionName(name);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        Subscription subscription = new Subscription(name, eventName, type, (EventHandler<DomainEvent>) handler,
                options, this);
        synchronized (lock) {
            Subscription existing = subscriptionsByName.putIfAbsent(name, subscription);
            if (existing != null) {
                throw new DuplicateSubscriptionException("subscription name '" + name + "' is already registered"
                        + " (on event '" + existing.eventName() + "'); each subscription needs its own name");
            }
            List<Subscription> updated = new ArrayList<>(subscriptionsFor(eventName));
            updated.add(subscription);
            subscriptionsByEvent.put(eventName, List.copyOf(updated));
        }
        return new Handle(subscription);
    }

    private boolean removeSubscription(Subscription subscription) {
        synchronized (lock) {
            if (!subscriptionsByName.remove(subscription.name(), subscription)) {
                return false;
            }
            List<Subscription> updated = new ArrayList<>(subscriptionsFor(subscription.eventName()));
            updated.remove(subscription);
            if (updated.isEmpty()) {
                subscriptionsByEvent.remove(subscription.eventName());
            } else {
                subscriptionsByEvent.put(subscription.eventName(), List.copyOf(updated));
            }
            return true;
        }
    }

    private static void requireValidSubscriptionName(String name) {
        Objects.requireNonNull(name, "subscription name");
        if (name.isBlank() || name.length() > MAX_SUBSCRIPTION_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid subscription name '" + name + "': it must be non-blank and"
                    + " at most " + MAX_SUBSCRIPTION_NAME_LENGTH + " characters");
        }
    }

    private static String stableNameOf(EventHandler<?> handler) {
        Objects.requireNonNull(handler, "handler");
        Class<?> type = handler.getClass();
        if (type.isSynthetic() || type.isHidden() || type.isAnonymousClass() || type.isLocalClass()) {
            throw new IllegalArgumentException("cannot name a subscription after " + type.getName()
                    + ": lambdas, anonymous and local classes have no stable name; pass a subscription name"
                    + " to register(type, subscriptionName, handler)");
        }
        return type.getName();
    }

    private final class Handle implements Registration {
        private final Subscription subscription;

        Handle(Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public Subscription subscription() {
            return subscription;
        }

        @Override
        public boolean remove() {
            return removeSubscription(subscription);
        }

        @Override
        public String toString() {
            return "Registration[" + subscription + "]";
        }
    }

    /** Several observers, told in the order they were added. */
    private record DeliveryObservers(List<DeliveryObserver> all) implements DeliveryObserver {
        @Override
        public void published(String eventName, UUID eventId, boolean duplicate) {
            all.forEach(o -> o.published(eventName, eventId, duplicate));
        }

        @Override
        public void handled(String subscription, String eventName, long nanos, Throwable failure) {
            all.forEach(o -> o.handled(subscription, eventName, nanos, failure));
        }

        @Override
        public void deadLettered(String eventName, List<String> subscriptions) {
            all.forEach(o -> o.deadLettered(eventName, subscriptions));
        }

        @Override
        public void unhandled(String eventName) {
            all.forEach(o -> o.unhandled(eventName));
        }
    }
}
