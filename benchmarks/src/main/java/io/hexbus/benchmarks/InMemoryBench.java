package io.hexbus.benchmarks;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.Subscribe;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.EventHandler;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish → handlers in memory, against the floor (a direct call of the same handlers), Guava's
 * {@code EventBus} and Spring's {@link SimpleApplicationEventMulticaster}. Every operation creates one new event
 * the same way (a fresh id, else the bus would report a duplicate), in every variant alike, and every handler
 * has the same shape (a no-op that reads the event's id), so {@code -prof gc}'s {@code gc.alloc.rate.norm}
 * minus the event's own bytes (a UUID and the record, {@link #EVENT_BYTES}) is what the bus allocates per
 * publish.
 *
 * <p>Spring twice: {@code spring1}/{@code spring5} are what a Spring Modulith user has, {@code @EventListener}
 * methods on beans and {@code ApplicationEventPublisher.publishEvent(event)} (the context wraps the event in a
 * {@link PayloadApplicationEvent} and hands it to its {@link SimpleApplicationEventMulticaster}, which invokes
 * the methods by reflection); {@code springMulticaster1}/{@code springMulticaster5} are the multicaster alone with
 * {@code ApplicationListener<PayloadApplicationEvent<E>>} classes, Spring's cheapest path for a non-Spring event.
 *
 * <p>{@code hexbus1} and {@code hexbus5} time the bus's own work, with the wire check off (the figures before
 * issue 13 had no check); {@code hexbusChecked1} is {@code hexbus1} with the check on, as the bus's default,
 * and {@code wireCheck1} is the check alone ({@link EventCodec#checkRoundTrip}) on the same event.
 *
 * <p>Single-threaded here; {@link InMemoryBench2T} runs the same methods on 2 threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// 5 × 1 s: with 3 the first measured iterations of Spring's and Guava's paths were still falling.
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed, pre-touched heap: at these allocation rates a growing heap times page faults, not the bus.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class InMemoryBench {

    /** Bytes of one event on a 64-bit JVM with compressed oops: UUID 32 + OneEvent/FiveEvent 32 (measured by direct1). */
    public static final int EVENT_BYTES = 64;

    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");
    private static final AtomicLong THREAD_SEEDS = new AtomicLong();

    @EventName("bench.one")
    public record OneEvent(UUID eventId, Instant occurredAt, long seq) implements DomainEvent {
    }

    @EventName("bench.five")
    public record FiveEvent(UUID eventId, Instant occurredAt, long seq) implements DomainEvent {
    }

    /** A no-op handler that still reads the event, so the call is not dead code. */
    public static final class NoOp<E extends DomainEvent> implements EventHandler<E> {
        @Override
        public void handle(E event) {
            if (event.eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    /** Guava subscribers, allowed to run concurrently (Guava's fastest mode). */
    public static final class GuavaOne {
        @Subscribe
        @AllowConcurrentEvents
        public void on(OneEvent event) {
            if (event.eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    public static final class GuavaFive {
        @Subscribe
        @AllowConcurrentEvents
        public void on(FiveEvent event) {
            if (event.eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    /** Spring's {@code @EventListener} methods, as a Spring Modulith user writes them. */
    public static final class SpringOne {
        @EventListener
        public void on(OneEvent event) {
            if (event.eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    public static final class SpringFive {
        @EventListener
        public void on(FiveEvent event) {
            if (event.eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    /** Spring's listener interface for a payload event: the multicaster calls it without reflection. */
    public static final class SpringListenerOne implements ApplicationListener<PayloadApplicationEvent<OneEvent>> {
        @Override
        public void onApplicationEvent(PayloadApplicationEvent<OneEvent> event) {
            if (event.getPayload().eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    public static final class SpringListenerFive implements ApplicationListener<PayloadApplicationEvent<FiveEvent>> {
        @Override
        public void onApplicationEvent(PayloadApplicationEvent<FiveEvent> event) {
            if (event.getPayload().eventId() == null) {
                throw new IllegalStateException();
            }
        }
    }

    /** Per thread: a distinct id sequence, so threads never collide and no id is a duplicate. */
    @State(Scope.Thread)
    public static class Ids {
        long high;
        long next;

        @Setup
        public void setUp() {
            high = THREAD_SEEDS.incrementAndGet() << 32 | 0x7000L;
        }

        UUID nextId() {
            return new UUID(high, ++next);
        }
    }

    /** The in-memory bus's dedupe window, in ids; the default is the bus's own default. */
    @Param({"100000"})
    public int dedupeCapacity;

    private InMemoryEventBus hexbus;
    private InMemoryEventBus hexbusChecked;
    private EventCodec codec;
    private com.google.common.eventbus.EventBus guava;
    private AnnotationConfigApplicationContext spring;
    private SimpleApplicationEventMulticaster multicaster;
    private final Object source = new Object();
    private EventHandler<OneEvent> directOne;
    private EventHandler<FiveEvent>[] directFive;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(OneEvent.class, "bench.one-0", new NoOp<>());
        for (int i = 0; i < 5; i++) {
            processor.register(FiveEvent.class, "bench.five-" + i, new NoOp<>());
        }
        InMemoryEventBusSettings settings = InMemoryEventBusSettings.DEFAULT.withDedupeCapacity(dedupeCapacity);
        hexbus = new InMemoryEventBus(processor, settings.withWireCheck(false), Clock.systemUTC());
        // One processor for both, so the two publish paths differ only in the check.
        hexbusChecked = new InMemoryEventBus(processor, settings.withWireCheck(true), Clock.systemUTC());
        codec = EventCodec.of(processor.eventTypes());

        guava = new com.google.common.eventbus.EventBus("bench");
        guava.register(new GuavaOne());
        for (int i = 0; i < 5; i++) {
            guava.register(new GuavaFive());
        }

        spring = new AnnotationConfigApplicationContext();
        spring.registerBean("one-0", SpringOne.class);
        for (int i = 0; i < 5; i++) {
            spring.registerBean("five-" + i, SpringFive.class);
        }
        spring.refresh();

        multicaster = new SimpleApplicationEventMulticaster();
        multicaster.addApplicationListener(new SpringListenerOne());
        for (int i = 0; i < 5; i++) {
            multicaster.addApplicationListener(new SpringListenerFive());
        }

        directOne = new NoOp<>();
        directFive = new EventHandler[5];
        for (int i = 0; i < 5; i++) {
            directFive[i] = new NoOp<>();
        }
    }

    @Benchmark
    public OneEvent direct1(Ids ids) throws Exception {
        OneEvent event = new OneEvent(ids.nextId(), AT, ids.next);
        directOne.handle(event);
        return event;
    }

    @Benchmark
    public FiveEvent direct5(Ids ids) throws Exception {
        FiveEvent event = new FiveEvent(ids.nextId(), AT, ids.next);
        for (EventHandler<FiveEvent> handler : directFive) {
            handler.handle(event);
        }
        return event;
    }

    @TearDown
    public void tearDown() {
        spring.close();
        hexbus.close();
        hexbusChecked.close();
    }

    @Benchmark
    public PublishOutcome hexbus1(Ids ids) {
        return hexbus.publish(new OneEvent(ids.nextId(), AT, ids.next));
    }

    @Benchmark
    public PublishOutcome hexbus5(Ids ids) {
        return hexbus.publish(new FiveEvent(ids.nextId(), AT, ids.next));
    }

    // Jackson's paths take 10-15 s to reach C2 on 2 busy cores; 3 s of warm-up would time the interpreter.
    @Benchmark
    @Warmup(iterations = 10, time = 2)
    public PublishOutcome hexbusChecked1(Ids ids) {
        return hexbusChecked.publish(new OneEvent(ids.nextId(), AT, ids.next));
    }

    @Benchmark
    @Warmup(iterations = 10, time = 2)
    public OneEvent wireCheck1(Ids ids) {
        OneEvent event = new OneEvent(ids.nextId(), AT, ids.next);
        codec.checkRoundTrip(event);
        return event;
    }

    @Benchmark
    public OneEvent guava1(Ids ids) {
        OneEvent event = new OneEvent(ids.nextId(), AT, ids.next);
        guava.post(event);
        return event;
    }

    @Benchmark
    public FiveEvent guava5(Ids ids) {
        FiveEvent event = new FiveEvent(ids.nextId(), AT, ids.next);
        guava.post(event);
        return event;
    }

    @Benchmark
    public OneEvent spring1(Ids ids) {
        OneEvent event = new OneEvent(ids.nextId(), AT, ids.next);
        spring.publishEvent(event);
        return event;
    }

    @Benchmark
    public FiveEvent spring5(Ids ids) {
        FiveEvent event = new FiveEvent(ids.nextId(), AT, ids.next);
        spring.publishEvent(event);
        return event;
    }

    @Benchmark
    public OneEvent springMulticaster1(Ids ids) {
        OneEvent event = new OneEvent(ids.nextId(), AT, ids.next);
        multicaster.multicastEvent(new PayloadApplicationEvent<>(source, event));
        return event;
    }

    @Benchmark
    public FiveEvent springMulticaster5(Ids ids) {
        FiveEvent event = new FiveEvent(ids.nextId(), AT, ids.next);
        multicaster.multicastEvent(new PayloadApplicationEvent<>(source, event));
        return event;
    }
}
