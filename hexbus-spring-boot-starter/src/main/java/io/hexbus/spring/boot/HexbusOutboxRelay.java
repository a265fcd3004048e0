package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxStatus;
import io.hexbus.outbox.OutboxUnavailableException;
import org.springframework.context.SmartLifecycle;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Objects;

/**
 * The outbox's {@link OutboxRelay} in the context's lifecycle: it forwards the committed rows of the outbox to the
 * transport's bus ({@value HexbusAutoConfiguration#TRANSPORT_BUS}) from the context's start, in every
 * {@code hexbus.mode} (forwarding is publishing; relays of every instance share the rows), and stops in the phase of
 * {@link HexbusWorkers}: its pass in flight finishes or is rolled back, and what it did not mark sent waits for the
 * next relay, so nothing is lost. A stopped context that starts again starts a new relay. Thread-safe.
 *
 * @since 0.1.0
 */
public final class HexbusOutboxRelay implements SmartLifecycle {

    private final DataSource dataSource;
    private final EventCodec codec;
    private final EventBus target;
    private final DomainEventsProcessor processor;
    private final OutboxRelaySettings settings;
    private OutboxRelay relay; // guarded by this

    /**
     * @param dataSource the outbox's database; the relay holds two of its connections while it runs
     * @param codec      the codec the outbox's bus encodes with
     * @param target     the transport's bus, where the events go
     * @param processor  the transport's processor, whose tracing keeps each event in its publisher's trace
     */
    public HexbusOutboxRelay(DataSource dataSource, EventCodec codec, EventBus target,
                             DomainEventsProcessor processor) {
        this(dataSource, codec, target, processor, OutboxRelaySettings.defaults());
    }

    /**
     * @param dataSource the outbox's database; the relay holds two of its connections while it runs
     * @param codec      the codec the outbox's bus encodes with
     * @param target     the transport's bus, where the events go
     * @param processor  the transport's processor, whose tracing keeps each event in its publisher's trace
     * @param settings   the relay's settings ({@code hexbus.outbox.*})
     */
    public HexbusOutboxRelay(DataSource dataSource, EventCodec codec, EventBus target,
                             DomainEventsProcessor processor, OutboxRelaySettings settings) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.target = Objects.requireNonNull(target, "target");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @return the settings the relay runs with
     */
    public OutboxRelaySettings settings() {
        return settings;
    }

    /** Starts the relay's thread, which forwards at once what is waiting; returns promptly. */
    @Override
    public synchronized void start() {
        if (relay == null) {
            relay = new OutboxRelay(dataSource, codec, target, settings, Clock.systemUTC(),
                    processor);
            relay.start();
        }
    }

    /** Stops the relay, within twice its settings' {@link OutboxRelaySettings#stopTimeout()} at most. */
    @Override
    public synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return relay != null;
    }

    @Override
    public int getPhase() {
        return HexbusWorkers.PHASE;
    }

    /**
     * What the outbox and the running relay look like: the rows waiting, the age of the oldest, the dead ones, the
     * rows forwarded and since when forwarding fails.
     *
     * @return the status; blocks on one short read
     * @throws IllegalStateException      if the relay is not running
     * @throws OutboxUnavailableException if the database cannot be read
     */
    public OutboxStatus status() {
        OutboxRelay running;
        synchronized (this) {
            running = relay;
        }
        if (running == null) {
            throw new IllegalStateException("the outbox relay is not running: the context is not started");
        }
        return running.status();
    }
}
