package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The tracing of one {@link DomainEventsProcessor}, the object its transports hold: it forwards to the tracing
 * installed at the time of each call, and while a relay republishes stored events on a thread, gives those events the
 * trace contexts they were first published with. Thread-safe.
 *
 * <p>Transports hold this object from when they are built, so it stays the same while a tracing is installed later.
 * Until one is, and while nothing is republished, {@link #isActive()} is false and {@link #publishing} reads two
 * volatile fields only: an untraced application pays no thread-local read per event.
 */
final class ProcessorTracing implements Tracing {

    private final AtomicReference<Tracing> installed = new AtomicReference<>(Tracing.NONE);
    // Per thread, while a relay republishes stored events: the trace contexts they were first published with.
    private final ThreadLocal<Map<UUID, TraceContext>> republished = new ThreadLocal<>();
    // How many republishing calls run now, on any thread: while none does, no thread-local needs reading.
    private final AtomicInteger republishing = new AtomicInteger();

    /**
     * @param tracing the tracing to forward to from now on
     * @throws IllegalStateException if one is installed already
     */
    void install(Tracing tracing) {
        Objects.requireNonNull(tracing, "tracing");
        if (!installed.compareAndSet(Tracing.NONE, tracing)) {
            throw new IllegalStateException("a tracing is installed on this processor already (" + installed.get()
                    + "); install one, at start-up");
        }
    }

    /** The tracing installed now, {@link Tracing#NONE} until one is. */
    Tracing installed() {
        return installed.get();
    }

    /** Runs {@code publish} with the carried contexts standing for the installed tracing's answer, on this thread. */
    <T> T republishing(Map<UUID, TraceContext> carried, Supplier<T> publish) {
        Objects.requireNonNull(publish, "publish");
        Map<UUID, TraceContext> copy = Map.copyOf(carried);
        Map<UUID, TraceContext> previous = republished.get();
        republished.set(copy);
        republishing.incrementAndGet();
        try {
            return publish.get();
        } finally {
            republishing.decrementAndGet();
            if (previous == null) {
                republished.remove();
            } else {
                republished.set(previous);
            }
        }
    }

    @Override
    public boolean isActive() {
        return installed.get().isActive() || republishing.get() > 0;
    }

    @Override
    public Optional<TraceContext> publishing(String eventName, DomainEvent event) {
        if (republishing.get() > 0) {
            Map<UUID, TraceContext> carried = republished.get();
            TraceContext first = carried == null ? null : carried.get(event.eventId());
            if (first != null) {
                return Optional.of(first);
            }
        }
        return installed.get().publishing(eventName, event);
    }

    @Override
    public void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
        installed.get().handle(run, invocation);
    }

    @Override
    public String toString() {
        return "the processor's tracing, forwarding to " + installed.get();
    }
}
