package io.hexbus.outbox;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Forwards the outbox's committed events to the transport: a daemon thread that locks batches of waiting rows
 * ({@code FOR UPDATE SKIP LOCKED}, so any number of relays may share a table), forwards each batch with one
 * {@link EventBus#publishAll} and marks it sent in the same transaction. A crash between the forward and the mark
 * forwards the batch again: the event id is the transport's idempotency key, so it is delivered once.
 *
 * <ul>
 *   <li><b>Order.</b> Events of one ordering key are forwarded in commit order: a row waits while an earlier row of its
 *       key is held by another relay or waits for a retry.</li>
 *   <li><b>Wake-ups.</b> {@code LISTEN hexbus_outbox} on a connection of its own; a poll every
 *       {@link OutboxRelaySettings#pollInterval()} in case a notification is lost or that connection is down.</li>
 *   <li><b>Failures.</b> A row that does not decode, or that the target refuses for good (unknown type, too large, not
 *       encodable, invalid ordering key), is marked dead with its reason and no longer holds its key. Any other failure
 *       (the transport or the database down) rolls the pass back; its rows wait for their backoff, the relay backs off
 *       from {@code minBackoff} to {@code maxBackoff}, logs one warning per streak, and {@link #status()} shows it.
 *       Nothing is lost. An event of a newer version than this service reads is not dead: it waits
 *       {@code maxBackoff} at a time, holding its key, for a relay running code that reads it. Handlers failing on a
 *       synchronous target ({@link io.hexbus.api.publishing.EventHandlingException}) do not fail the forward: the
 *       events were published, and publishing them again would only report duplicates.</li>
 *   <li><b>Retention.</b> Sent rows are deleted once older than {@link OutboxRelaySettings#retention()}.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} return promptly; {@link #status()} blocks on one short read.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxRelaySettings settings;
    private final RelayHealth health = new RelayHealth();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final OutboxMonitor monitor;
    private final Thread thread;
    private boolean started;

    /**
     * @param dataSource the outbox's database; the relay holds two of its connections while it runs (one listening,
     *                   one for the pass in flight), so a pool needs room for them
     * @param codec      the codec the outbox's publisher encoded with, over the registry of this service; an older
     *                   version of an event is upcast as it is decoded
     * @param target     the transport the events go to
     * @param settings   the relay's settings
     * @param clock      the clock of {@link OutboxStatus#failingSince()} and of the clean-up's schedule
     */
    public OutboxRelay(DataSource dataSource, EventCodec codec, EventBus target, OutboxRelaySettings settings,
                       Clock clock) {
        this(dataSource, codec, target, settings, clock, null);
    }

    /**
     * A relay that keeps each event in the trace it was first published in: the trace context its row was written
     * with (by an {@link OutboxEventBus} with a tracing) is handed to the target's tracing, through
     * {@link DomainEventsProcessor#republishing}, in place of the relay thread's own (docs/tracing.md).
     *
     * @param dataSource      the outbox's database, as for the constructor without a processor
     * @param codec           the codec the outbox's publisher encoded with
     * @param target          the transport the events go to
     * @param settings        the relay's settings
     * @param clock           the clock of {@link OutboxStatus#failingSince()} and of the clean-up's schedule
     * @param targetProcessor the processor of the target's transport, whose tracing the target asks at publish; null
     *                        for none (the target then traces the relay's publish as any other)
     * @since 0.1.0
     */
    public OutboxRelay(DataSource dataSource, EventCodec codec, EventBus target, OutboxRelaySettings settings,
                       Clock clock, DomainEventsProcessor targetProcessor) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.monitor = new OutboxMonitor(dataSource);
        RelayPass pass = new RelayPass(dataSource, codec, new Forwarder(target), settings, targetProcessor);
        RelayLoop loop = new RelayLoop(pass, new Retention(dataSource, settings),
                new OutboxListener(dataSource, settings, stop), health, settings, clock, stop);
        this.thread = new Thread(loop, settings.name());
        this.thread.setDaemon(true);
    }

    /**
     * Starts the relay's thread, which forwards at once what is waiting.
     *
     * @throws IllegalStateException if it was started before, or closed
     */
    public synchronized void start() {
        if (started || stop.getCount() == 0) {
            throw new IllegalStateException("outbox relay " + settings.name() + " was already "
                    + (started ? "started" : "closed") + ": a relay starts once");
        }
        started = true;
        thread.start();
    }

    /**
     * What the outbox and this relay look like now: the table's backlog, and this relay's forwarded count, last error
     * and failing streak.
     *
     * @return the status
     * @throws OutboxUnavailableException if the database cannot be read
     */
    public OutboxStatus status() {
        OutboxStatus backlog = monitor.status();
        return new OutboxStatus(backlog.waiting(), backlog.oldestWaitingAge(), backlog.dead(), health.forwarded(),
                health.lastError().or(backlog::lastError), health.failingSince());
    }

    /**
     * Stops the relay: the pass in flight may finish within {@link OutboxRelaySettings#stopTimeout()}, else its thread
     * is interrupted and its transaction rolled back by the database when the connection goes. Rows not marked sent
     * stay for the next relay. Idempotent; returns within twice the stop timeout at most.
     */
    @Override
    public void close() {
        stop.countDown();
        synchronized (this) {
            if (!started) {
                return;
            }
        }
        try {
            thread.join(settings.stopTimeout().toMillis());
            if (thread.isAlive()) {
                log.warn("Outbox relay {} did not stop within {}: interrupting its pass (its rows stay waiting)",
                        settings.name(), settings.stopTimeout());
                thread.interrupt();
                thread.join(settings.stopTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
