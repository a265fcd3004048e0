package io.hexbus.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressReport;
import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionStatsFold;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@link QueueAdmin} of one application on RabbitMQ: its statistics, its events' progress and its dead letters
 * (docs/rabbitmq-transport.md, "Statistics", "Event progress" and "Dead letters").
 *
 * <ul>
 *   <li>{@link #stats()} reads, at each call, the ready counts of the application's queues ({@code waiting}: work,
 *       due and poison queues; {@code retryScheduled}: the retry tiers), the workers' reports on the stats stream
 *       (what they hold and run, and the counters) and what was appended to the dead-letter stream since the last
 *       call ({@code deadLettered}, from this admin's {@link DeadLetterIndex}).</li>
 *   <li>{@link #subscriptionStats()} reads the workers' per-subscription records on the stats stream.</li>
 *   <li>{@link #eventProgress} reads the event's dead letter, else the ledger's latest round of it, from the folds this
 *       admin keeps of both streams, read at most once per {@link #PROGRESS_READ_INTERVAL}; it knows an event once a
 *       worker claimed it.</li>
 *   <li>The dead-letter calls read the dead-letter stream whole, once per call, the filtered ones included
 *       ({@link RabbitDeadLetters}).</li>
 *   <li>{@link #retry} and {@link #retryAll} send each dead letter back to the due queue for its failed
 *       subscriptions only, with fresh progress, as a new lineage of its event: the ledger runs it once, however
 *       many admins retried it at once.</li>
 * </ul>
 *
 * <p>Thread-safe; every call blocks until the broker answered, for at most a few command timeouts. A broker that
 * cannot be used fails a call with a {@link TransportUnavailableException} naming it, one that does not answer in
 * time with a {@link TransportTimeoutException}. {@link #close()} closes its connection; calls after it fail as
 * unavailable.
 */
public final class RabbitQueueAdmin implements QueueAdmin, AutoCloseable {

    /** What the admin reads and writes through, on one connection: opened again once that connection closed. */
    private record Session(Connection connection, StatsStream stats, DeadLetterIndex deadLetterIndex,
                           RabbitDeadLetters deadLetters, ConfirmedPublisher publisher, LedgerProgressStream ledger) {
    }

    /**
     * The least time between two reads of the ledger (each appends a sync marker every worker reads) or of the
     * dead-letter index for {@link #eventProgress}: a progress answer is at most this late.
     */
    public static final Duration PROGRESS_READ_INTERVAL = Duration.ofSeconds(1);

    private final RabbitConnectionSettings connectionSettings;
    private final RabbitQueueSettings settings;
    private final Duration staleness;
    private final String broker;
    private final Function<String, List<String>> subscriptionsOf;
    private Session session; // guarded by this
    private volatile boolean closed;

    private RabbitQueueAdmin(RabbitConnectionSettings connectionSettings, RabbitQueueSettings settings,
                             Duration staleness, Function<String, List<String>> subscriptionsOf, Session session) {
        this.connectionSettings = connectionSettings;
        this.settings = settings;
        this.staleness = staleness;
        this.subscriptionsOf = subscriptionsOf;
        this.broker = connectionSettings.describe();
        this.session = session;
    }

    private static Session open(RabbitConnectionSettings connectionSettings, RabbitQueueSettings settings) {
        Connection connection = connectionSettings.connect(settings.group() + "-admin", settings.commandTimeout());
        RabbitNames names = settings.names();
        Duration timeout = settings.commandTimeout();
        Clock clock = Clock.systemUTC();
        DeadLetterStream deadLetterStream = new DeadLetterStream(connection, names.deadLetterStream(),
                settings.deadLetterRetention(), timeout, clock);
        ConfirmedPublisher publisher = new ConfirmedPublisher(connection, timeout, connectionSettings.describe());
        RetryMessages messages = new RetryMessages(names);
        RabbitDeadLetters deadLetters = new RabbitDeadLetters(deadLetterStream, (letter, subscriptions, retryId) ->
                publisher.send(List.of(messages.deadLetterRetry(letter.eventName(), letter.eventId(),
                        letter.envelope(), subscriptions, retryId)), "sending dead letter " + letter.eventId()
                        + " back"), clock);
        return new Session(connection, new StatsStream(connection, names.statsStream(), timeout),
                new DeadLetterIndex(deadLetterStream, new ReadThrottle(PROGRESS_READ_INTERVAL, System::nanoTime)),
                deadLetters, publisher, new LedgerProgressStream(connection, settings,
                new ReadThrottle(PROGRESS_READ_INTERVAL, System::nanoTime)));
    }

    /**
     * @return the session, on a connection opened again when the last one closed (a broker restarted, connections
     *         closed by an operator): the admin of a long-running service must not need a restart for that
     * @throws TransportUnavailableException if this admin is closed or the broker cannot be reached
     */
    private synchronized Session session() {
        if (closed) {
            throw new TransportUnavailableException("this RabbitMQ queue admin is closed", null);
        }
        if (!session.connection().isOpen()) {
            close(session);
            session = open(connectionSettings, settings);
        }
        return session;
    }

    /**
     * Connects with a connection of its own, opened again on the next call once it closed; the topology must be
     * declared ({@link RabbitTransport#connect} does).
     *
     * @param connection     where the broker is
     * @param settings       the application's queues and the command timeout
     * @param workerSettings the workers' settings: a report older than their visibility timeout no longer counts for
     *                       {@code active} and {@code reserved}
     * @return the admin; close it when done
     * @throws TransportUnavailableException if the broker cannot be used
     */
    public static RabbitQueueAdmin connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                           RabbitWorkerSettings workerSettings) {
        return connect(connection, settings, workerSettings, name -> List.of());
    }

    /**
     * Connects as {@link #connect(RabbitConnectionSettings, RabbitQueueSettings, RabbitWorkerSettings)} does, knowing
     * the application's subscriptions: {@link #eventProgress} then reports each subscription of an event's name,
     * not only those its records name.
     *
     * @param connection     where the broker is
     * @param settings       the application's queues and the command timeout
     * @param workerSettings the workers' settings
     * @param processor      the application's processor, read at each call (subscriptions may change)
     * @return the admin; close it when done
     * @throws TransportUnavailableException if the broker cannot be used
     */
    public static RabbitQueueAdmin connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                           RabbitWorkerSettings workerSettings, DomainEventsProcessor processor) {
        Objects.requireNonNull(processor, "processor");
        return connect(connection, settings, workerSettings, name -> processor.subscriptionsFor(name).stream()
                .map(Subscription::name).toList());
    }

    private static RabbitQueueAdmin connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                            RabbitWorkerSettings workerSettings,
                                            Function<String, List<String>> subscriptionsOf) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(workerSettings, "workerSettings");
        return new RabbitQueueAdmin(connection, settings, workerSettings.engine().visibilityTimeout(),
                subscriptionsOf, open(connection, settings));
    }

    /** @return the application's counters, read now */
    @Override
    public QueueStats stats() {
        Session current = session();
        RabbitNames names = settings.names();
        long waiting;
        long retryScheduled = 0;
        try (Channel channel = current.connection().createChannel()) {
            waiting = ready(channel, names.workQueue()) + ready(channel, names.dueQueue())
                    + ready(channel, names.poisonQueue());
            for (RetryTier tier : RetryTier.values()) {
                retryScheduled += ready(channel, names.retryQueue(tier.label()));
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            if (e instanceof TransportUnavailableException unavailable) {
                throw unavailable;
            }
            throw new TransportUnavailableException("reading the queues of " + names.workQueue() + " on RabbitMQ at "
                    + broker + " failed: " + e.getMessage(), e);
        }
        // The dead letters first, then the reports: a worker writes the report that counts a dead letter's last
        // attempts before the dead letter, so the reports read after it count them.
        long deadLettered = current.deadLetterIndex().readNow(DeadLetterFold::total);
        StatsFold.Totals totals = current.stats().read(fold -> fold.totals(System.currentTimeMillis(), staleness));
        return new QueueStats(settings.group(), waiting, totals.active(), totals.reserved(), retryScheduled, 0,
                totals.completed(), deadLettered, totals.failedAttempts(), totals.takeovers(), totals.unhandled());
    }

    /**
     * Reads the stats stream's per-subscription records (only what was appended since the last call): the counts are
     * the latest checkpoint's plus each worker's latest record; the windows those of the workers whose latest record
     * is less than {@link SubscriptionActivity#LAPSE} old (by this process's clock against theirs).
     *
     * @return one entry per subscription any worker reported, sorted by name
     */
    @Override
    public List<SubscriptionStats> subscriptionStats() {
        long now = System.currentTimeMillis();
        return session().stats().read(fold -> {
            Map<String, List<DurationWindow>> windows = new HashMap<>();
            fold.liveWindows(now, SubscriptionActivity.LAPSE).forEach((name, encoded) -> windows.put(name,
                    encoded.stream().map(RabbitQueueAdmin::window).toList()));
            return SubscriptionStatsFold.fold(fold.subscriptionTotals(), windows, SubscriptionActivity.WINDOW);
        });
    }

    private static DurationWindow window(String encoded) {
        try {
            return DurationWindow.decode(encoded);
        } catch (IllegalArgumentException e) {
            return DurationWindow.empty(); // written by a worker, so readable; if not, it only lacks these runs
        }
    }

    /**
     * Where an event stands, from what the application's streams hold of it, as this admin's folds of the dead-letter
     * and ledger streams hold it. Each fold reads what was appended since its last read, at most once per
     * {@link #PROGRESS_READ_INTERVAL} (a read appends a sync marker, and the ledger's is read by every worker), so the
     * answer may be that much late; this admin's own dead-letter writes are seen at the next call:
     * <ol>
     *   <li>its dead letter, if the dead-letter stream holds one: its failed subscriptions dead, the others done;</li>
     *   <li>else the ledger's latest round of it: claimed by a worker (each subscription not yet done or dead is waiting: running,
     *       or waiting for a takeover), settled for a retry (the retried subscriptions wait for their due time, by
     *       the settling worker's clock), or done (every subscription done);</li>
     *   <li>else nothing: an event no worker has taken yet (the broker cannot look a queued message up by id), one
     *       the ledger forgot (a dedupe window after its first claim, or past the most remembered ids), one whose
     *       dead letter was removed or cleaned.</li>
     * </ol>
     * A dead letter's retry reports every subscription of the name, those it does not run included.
     *
     * @param eventId an event id
     * @return its progress, or empty when this application holds no record of it
     */
    @Override
    public Optional<EventProgress> eventProgress(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Session current = session();
        Optional<DeadLetter> deadLetter = current.deadLetterIndex().read(fold -> fold.get(eventId));
        if (deadLetter.isPresent()) {
            return Optional.of(ProgressReport.deadLettered(deadLetter.get(),
                    subscriptionsOf.apply(deadLetter.get().eventName())));
        }
        Optional<LedgerProgress.Known> known = current.ledger().read(fold -> fold.of(eventId.toString()));
        return known.flatMap(k -> progressOf(eventId, k));
    }

    private Optional<EventProgress> progressOf(UUID eventId, LedgerProgress.Known known) {
        String name = known.eventName().isEmpty() ? "?" : known.eventName();
        List<String> subscriptions = known.eventName().isEmpty() ? List.of() : subscriptionsOf.apply(name);
        switch (known.stage()) {
            case DONE:
                return Optional.of(ProgressReport.completed(eventId, name, subscriptions));
            case DEAD:
                return Optional.empty(); // its dead letter is gone: removed, cleaned, or retried and not yet taken
            default:
                Progress progress = Progress.NONE;
                if (known.retryProgress() != null) {
                    try {
                        progress = ProgressText.decode(known.retryProgress(), known.retrySettledAt(), 0);
                    } catch (IllegalArgumentException e) {
                        progress = Progress.NONE; // written by a worker, so readable
                    }
                }
                if (known.stage() == LedgerProgress.Stage.CLAIMED) {
                    // Its next round runs now: nothing waits for a due time any more.
                    progress = new Progress(progress.done(), progress.dead(), progress.attempts(), Map.of(),
                            progress.takeovers(), progress.lastError());
                }
                return Optional.of(ProgressReport.onQueue(eventId, name, progress, subscriptions));
        }
    }

    /**
     * Events of the bus that no application's queue took (published while none was declared), kept in
     * {@code <prefix>.unrouted} for the dead-letter retention: not part of this application's {@link #stats()}, since
     * no application has them. An operator moves them with RabbitMQ's shovel, or deletes them.
     *
     * @return how many the queue holds now
     * @throws TransportUnavailableException if the broker cannot be used
     */
    public long unrouted() {
        try (Channel channel = session().connection().createChannel()) {
            return ready(channel, settings.names().unroutedQueue());
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            if (e instanceof TransportUnavailableException unavailable) {
                throw unavailable;
            }
            throw new TransportUnavailableException("reading " + settings.names().unroutedQueue() + " on RabbitMQ at "
                    + broker + " failed: " + e.getMessage(), e);
        }
    }

    private static long ready(Channel channel, String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    /**
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first by last failure
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    @Override
    public DeadLetterPage deadLetters(int offset, int limit) {
        return session().deadLetters().deadLetters(offset, limit);
    }

    /**
     * @param eventId the id of a dead-lettered event
     * @return its dead letter, or empty if there is none
     */
    @Override
    public Optional<DeadLetter> deadLetter(UUID eventId) {
        return session().deadLetters().deadLetter(eventId);
    }

    /**
     * Sends the dead letter's failed subscriptions back to the due queue, then records it as retried.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was queued again; false if there is no such dead letter, or it names no subscription
     */
    @Override
    public boolean retry(UUID eventId) {
        Session current = session();
        try {
            return current.deadLetters().retry(eventId);
        } finally {
            current.deadLetterIndex().behind();
        }
    }

    /** @return how many dead letters held when the call started were queued again */
    @Override
    public int retryAll() {
        return retryAll(DeadLetterFilter.ANY);
    }

    /**
     * Reads the dead-letter stream once, keeping only the page's items and the count of the matching ones.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first by last failure; its total counts the matching ones
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    @Override
    public DeadLetterPage deadLetters(DeadLetterFilter filter, int offset, int limit) {
        return session().deadLetters().deadLetters(filter, offset, limit);
    }

    /**
     * Reads the dead-letter stream once, then retries each matching dead letter as {@link #retry} does.
     *
     * @param filter which dead letters
     * @return how many of those held when the call started were queued again
     */
    @Override
    public int retryAll(DeadLetterFilter filter) {
        Session current = session();
        try {
            return current.deadLetters().retryAll(filter);
        } finally {
            current.deadLetterIndex().behind();
        }
    }

    /**
     * Reads the dead-letter stream once, then removes each matching dead letter.
     *
     * @param filter which dead letters
     * @return how many were removed
     */
    @Override
    public int removeAll(DeadLetterFilter filter) {
        Session current = session();
        try {
            return current.deadLetters().removeAll(filter);
        } finally {
            current.deadLetterIndex().behind();
        }
    }

    /**
     * @param eventId the id of a dead-lettered event
     * @return true if it was removed, false if there is no such dead letter
     */
    @Override
    public boolean remove(UUID eventId) {
        Session current = session();
        try {
            return current.deadLetters().remove(eventId);
        } finally {
            current.deadLetterIndex().behind();
        }
    }

    /**
     * @param age how old a dead letter's last failure must be, by this process's clock, for it to go; positive
     * @return how many were removed
     * @throws IllegalArgumentException as {@link QueueAdmin#checkCleanAge} says
     */
    @Override
    public int cleanDeadLetters(Duration age) {
        Session current = session();
        try {
            return current.deadLetters().cleanDeadLetters(age);
        } finally {
            current.deadLetterIndex().behind();
        }
    }


    /** Closes its connection. Idempotent; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        close(session);
    }

    private static void close(Session session) {
        session.publisher().close();
        try {
            if (session.connection().isOpen()) {
                session.connection().close(2_000);
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}
