package io.hexbus.rabbitmq;

import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.CumulativeCounts;
import io.hexbus.engine.stats.SubscriptionActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's half of the RabbitMQ transport (docs/rabbitmq-transport.md): a {@link WorkerSession} (its own
 * connection, consumers on its application's work, due and poison queues, the ledger read into a {@link Ledger}, the
 * streams of dead letters and statistics), replaced when its connection or consuming channel closes.
 *
 * <ul>
 *   <li><b>Leases</b> are AMQP's: a delivery is the worker's until acknowledged or its channel closes, when the
 *       broker returns it; the ledger's claims turn a redelivery into a takeover ({@link #reclaimAbandoned}) and a
 *       copy of a round someone else claimed or finished into nothing.</li>
 *   <li><b>Settles</b> are appended to the ledger (confirmed) before the delivery is acknowledged, and written even
 *       when the channel closed meanwhile: the copy the broker redelivers is then dropped, not run again. A retry is
 *       written only once the ledger shows that this settle of its round is the one that counts.</li>
 *   <li><b>Due times</b> are measured by the retry tiers' TTLs on the broker, never by a worker's clock; a delivery's
 *       {@link Delivery#brokerNow()} is this worker's clock at hand-over, against which its due times were made.</li>
 * </ul>
 *
 * <p>Thread-safe as {@link QueueBackend} requires: the fetch thread reads, the maintenance thread reads due retries
 * and takeovers, job threads settle; a session is replaced under a lock.
 */
final class RabbitQueueBackend implements QueueBackend {

    /** How often a worker checkpoints the counters of departed workers: well within the stats retention. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(5);

    /** How long a worker's last report is old before a checkpoint takes its counters over. */
    static final Duration DEPARTED_AFTER = Duration.ofMinutes(10);

    /**
     * How long a hand-out may go unheld by the engine before it is given back to its queue: the engine lets go of a
     * delivery it could not settle (a dead letter it failed to write after takeovers), and one kept unacknowledged
     * would hold a prefetch slot until the broker's consumer timeout closed the channel.
     */
    static final Duration UNHELD_GRACE = Duration.ofSeconds(30);

    /**
     * The least time between two writes of a worker's duration windows while they hold the same subscriptions: within
     * the engine's refresh (a little less, for the timers' jitter), well within their lapse.
     */
    static final Duration WINDOWS_SPACING = SubscriptionActivity.REFRESH.minusMillis(500);

    /** The least time between two reports written on change: 4 per second per worker at most. */
    private static final long REPORT_SPACING_NANOS = Duration.ofMillis(250).toNanos();

    private static final Logger log = LoggerFactory.getLogger(RabbitQueueBackend.class);

    private record Handed(Received received, RabbitMessage message, long lease, long handedAtMillis) {
    }

    private record Pending(Received received, RabbitMessage message, Progress progress) {
    }

    private final RabbitConnectionSettings connectionSettings;
    private final RabbitQueueSettings settings;
    private final RabbitWorkerSettings workerSettings;
    private final String worker;
    private final int maxEnvelopeBytes;
    private final RetryMessages retryMessages;
    private final WorkerCounters counters = new WorkerCounters();
    private final Map<String, Handed> handed = new ConcurrentHashMap<>();
    private final Deque<Pending> takeovers = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong leases = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();
    private final Object connecting = new Object();
    private final Object reporting = new Object();
    // This worker's counts per subscription as last stored, cumulative.
    private final CumulativeCounts cumulativeCounts = new CumulativeCounts();
    private Set<String> windowsWritten; // written inside cumulativeCounts' report (serialised); null before the first
    private long windowsWrittenAtNanos; // written inside cumulativeCounts' report
    private volatile WorkerSession session;
    private volatile boolean closed;
    private volatile long lastCheckpoint;
    private volatile long lastAliveNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile int reportedHeld = -1;
    private volatile long reportedVersion = -1;
    private volatile long reportedAtNanos = System.nanoTime() - REPORT_SPACING_NANOS;

    /**
     * @param connectionSettings where the broker is
     * @param settings           the application's queues
     * @param workerSettings     how the worker works
     * @param maxEnvelopeBytes   the codec's size limit: a dead letter keeps no more of a message
     * @param worker             the worker's name, unique in the group
     */
    RabbitQueueBackend(RabbitConnectionSettings connectionSettings, RabbitQueueSettings settings,
                       RabbitWorkerSettings workerSettings, int maxEnvelopeBytes, String worker) {
        this.connectionSettings = connectionSettings;
        this.settings = settings;
        this.workerSettings = workerSettings;
        this.worker = worker;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.retryMessages = new RetryMessages(settings.names());
    }

    @Override
    public void open() {
        session();
        writeReport();
    }

    // ---- reading

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        WorkerSession current = session();
        // Due retries and poison first: they must not wait behind a backlog of new events.
        List<Received> read = take(current, Received.Source.POISON, max, Duration.ZERO);
        read.addAll(take(current, Received.Source.DUE, max - read.size(), Duration.ZERO));
        if (read.isEmpty()) {
            read.addAll(take(current, Received.Source.WORK, max, block));
        } else if (read.size() < max) {
            read.addAll(take(current, Received.Source.WORK, max - read.size(), Duration.ZERO));
        }
        List<Delivery> out = admit(current, read);
        reportIfChanged();
        return out;
    }

    @Override
    public void idle() {
        reportIfChanged();
    }

    @Override
    public List<Delivery> claimDue(int max) {
        WorkerSession current = session();
        List<Received> read = take(current, Received.Source.POISON, max, Duration.ZERO);
        read.addAll(take(current, Received.Source.DUE, max - read.size(), Duration.ZERO));
        List<Delivery> out = admit(current, read);
        reportIfChanged();
        return out;
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        WorkerSession current = session();
        long generation = current.consumers().generation();
        long nowNanos = System.nanoTime();
        long lease = workerSettings.engine().visibilityTimeout().toMillis();
        Ledger fold = current.ledger().ledger();
        List<Pending> taken = new ArrayList<>();
        synchronized (takeovers) {
            int waiting = takeovers.size();
            for (int i = 0; i < waiting && taken.size() < max; i++) {
                Pending pending = takeovers.poll();
                RabbitMessage message = pending.message();
                if (pending.received().generation() != generation) {
                    continue; // its channel closed: the broker has it again
                }
                String owner = message.fenced() ? fold.owner(message.lineage(), message.round()) : null;
                // The earlier delivery of it still runs here (its channel closed under it), or its claimer, alive,
                // still runs it (its connection dropped): it settles first, or its lease lapses.
                if (held.contains(idOf(pending.received(), message)) || owner != null && !owner.equals(worker)
                        && fold.claimHeld(message.lineage(), message.round(), nowNanos, lease)) {
                    takeovers.add(pending);
                } else {
                    taken.add(pending);
                }
            }
        }
        if (taken.isEmpty()) {
            return List.of();
        }
        try {
            // What settled them (this worker's earlier delivery, or another's) may be appended and not read yet.
            current.ledger().appendAndAwait(List.of(new LedgerRecord.Sync(UUID.randomUUID().toString())));
        } catch (RuntimeException e) {
            synchronized (takeovers) {
                taken.forEach(takeovers::addFirst);
            }
            throw e;
        }
        long now = System.currentTimeMillis();
        List<Delivery> out = new ArrayList<>();
        List<Received> toAck = new ArrayList<>();
        List<ConfirmedPublisher.Outgoing> toSend = new ArrayList<>();
        Ledger ledger = current.ledger().ledger();
        for (Pending pending : taken) {
            RabbitMessage message = pending.message();
            Ledger.Verdict verdict = message.fenced()
                    ? ledger.classify(message.lineage(), message.round(), message.messageId())
                    : new Ledger.Verdict.Owned();
            if (verdict instanceof Ledger.Verdict.Owned || verdict instanceof Ledger.Verdict.Unclaimed) {
                out.add(handOut(pending.received(), message, pending.progress(), now));
                counters.takenOver();
            } else {
                settleUnrun(pending, verdict, toAck, toSend, now);
            }
        }
        sendThenAck(current, toSend, toAck);
        return out;
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        Set<String> lost = new HashSet<>();
        WorkerSession current = session;
        long staleBefore = System.currentTimeMillis() - UNHELD_GRACE.toMillis();
        for (Map.Entry<String, Handed> entry : handed.entrySet()) {
            Handed h = entry.getValue();
            boolean live = current != null && current.usable()
                    && h.received().generation() == current.consumers().generation();
            if (held.contains(entry.getKey())) {
                if (!live) {
                    lost.add(entry.getKey());
                }
            } else if (h.handedAtMillis() < staleBefore && handed.remove(entry.getKey(), h) && live) {
                current.consumers().requeue(h.received());
                log.warn("Worker {}: gave message {} back to its queue, which the engine let go unsettled", worker,
                        entry.getKey());
            }
        }
        return lost;
    }

    // ---- settling

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        Set<String> refused = new HashSet<>();
        List<Map.Entry<Acknowledgement, Handed>> current = new ArrayList<>();
        List<LedgerRecord> settles = new ArrayList<>();
        for (Acknowledgement ack : done) {
            Handed h = held(ack.delivery());
            if (h == null) {
                refused.add(ack.delivery().id());
                continue;
            }
            if (h.message().fenced()) {
                settles.add(new LedgerRecord.Settle(h.message().lineage(), h.message().round(),
                        LedgerRecord.Outcome.DONE, null));
            }
            current.add(Map.entry(ack, h));
        }
        if (!settles.isEmpty()) {
            session().ledger().append(settles); // first: a redelivered copy of what finished is then dropped
        }
        for (Map.Entry<Acknowledgement, Handed> entry : current) {
            Acknowledgement ack = entry.getKey();
            Handed h = entry.getValue();
            boolean acked = release(h, ack.delivery().id());
            if (!acked) {
                refused.add(ack.delivery().id());
            }
            // Counted once its settle is in the ledger even when the ack failed: its redelivery is dropped uncounted.
            if (acked || h.message().fenced()) {
                if (ack.kind() == Acknowledgement.Kind.UNHANDLED) {
                    counters.unhandled();
                } else {
                    counters.completed();
                }
            }
        }
        return refused;
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts) {
        Handed h = held(delivery);
        if (h == null) {
            return Fenced.LEASE_LOST;
        }
        WorkerSession current = session();
        long now = System.currentTimeMillis();
        String next = ProgressText.encode(delivery.progress().after(update, now), now);
        RabbitMessage message = h.message();
        if (message.fenced()) {
            current.ledger().appendAndAwait(List.of(new LedgerRecord.Settle(message.lineage(), message.round(),
                    LedgerRecord.Outcome.RETRY, next)));
            Ledger.Verdict verdict = current.ledger().ledger().classify(message.lineage(), message.round(),
                    message.messageId());
            if (!(verdict instanceof Ledger.Verdict.RetryRecorded recorded && recorded.nextProgress().equals(next))) {
                // Another delivery of this round settled it first (it was taken over): its outcome stands.
                release(h, delivery.id());
                return Fenced.LEASE_LOST;
            }
        }
        current.publisher().send(List.of(retryMessages.toTier(message, message.round() + 1, next, delayMillis)),
                "writing a retry of " + delivery.id());
        counters.failedAttempts(failedAttempts);
        return release(h, delivery.id()) ? Fenced.WRITTEN : Fenced.LEASE_LOST;
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        Handed h = held(delivery);
        if (h == null) {
            return Fenced.LEASE_LOST;
        }
        WorkerSession current = session();
        // The statistics read the dead letters, then the reports: before the dead letter shows, a report counts its
        // last round's failed attempts, and the message as settling (neither reserved nor running).
        counters.failedAttempts(record.failedAttempts());
        counters.settling(1);
        try {
            writeReport();
            current.deadLetters().write(record);
            if (h.message().fenced()) {
                current.ledger().append(List.of(new LedgerRecord.Settle(h.message().lineage(), h.message().round(),
                        LedgerRecord.Outcome.DEAD, null)));
            }
        } catch (RuntimeException e) {
            counters.failedAttempts(-record.failedAttempts()); // counted again when the engine writes it again
            throw e;
        } finally {
            counters.settling(-1);
        }
        counters.deadLettered();
        boolean released = release(h, delivery.id());
        writeReport();
        return released ? Fenced.WRITTEN : Fenced.LEASE_LOST;
    }

    // ---- reporting and housekeeping

    // Named in the refusal of a rate-limited subscription at worker start: this backend enforces no rate limits.
    @Override
    public String brokerName() {
        return "RabbitMQ";
    }

    @Override
    public void reportRunning(int running) {
        counters.running(running);
        writeReport();
    }

    /**
     * Appends a {@link StatsActivity}: this worker's cumulative counts per subscription (the stored ones plus the
     * activity's deltas), and its windows when {@link #WINDOWS_SPACING} passed since it last wrote them or they
     * changed subscriptions (windows are most of a record's bytes). The deltas become part of the stored counts only
     * once the append was confirmed: the engine sends a failed report's deltas again, and an append that failed yet
     * landed is superseded by the next, which carries the same counts and more, so nothing is counted twice.
     */
    @Override
    public void reportActivity(SubscriptionActivity activity) {
        WorkerSession current = session();
        cumulativeCounts.report(activity, totals -> {
            long nanos = System.nanoTime();
            boolean withWindows = windowsWritten == null || !windowsWritten.equals(activity.windows().keySet())
                    || nanos - windowsWrittenAtNanos >= WINDOWS_SPACING.toNanos();
            Map<String, String> windows = new HashMap<>();
            if (withWindows) {
                activity.windows().forEach((name, window) -> windows.put(name, window.encode()));
            }
            current.stats().append(new StatsActivity(worker, totals, windows, System.currentTimeMillis(), withWindows));
            if (withWindows) {
                windowsWritten = Set.copyOf(activity.windows().keySet());
                windowsWrittenAtNanos = nanos;
            }
        });
    }

    @Override
    public void housekeeping() {
        long now = System.currentTimeMillis();
        WorkerSession current = session;
        if (current == null) {
            return;
        }
        current.ledger().ledger().forgetExpired(now);
        writeReport();
        if (now - lastCheckpoint >= CHECKPOINT_INTERVAL.toMillis()) {
            lastCheckpoint = now;
            try {
                // The counters of workers gone for a while move into a checkpoint before the stream ages them out.
                current.stats().checkpoint(now - DEPARTED_AFTER.toMillis(), now);
            } catch (TransportUnavailableException e) {
                log.info("Worker {}: no statistics checkpoint written ({}); a later housekeeping writes it", worker,
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (connecting) {
            WorkerSession old = session;
            if (old != null) {
                // Its deliveries go back to the queues with its consuming channel: its last report holds nothing.
                old.consumers().close();
            }
            handed.clear();
            synchronized (takeovers) {
                takeovers.clear();
            }
            counters.running(0);
            try {
                writeReport();
            } catch (RuntimeException e) {
                log.info("Worker {}: could not write its last report: {}", worker, e.getMessage());
            }
            session = null;
            if (old != null) {
                old.close();
            }
        }
    }

    // ---- admission

    private static List<Received> take(WorkerSession from, Received.Source source, int max, Duration wait) {
        if (max <= 0) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(from.consumers().take(source, max, wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ArrayList<>();
        }
    }

    /**
     * Turns what was read into hand-outs: drops copies of what finished or someone else claimed, writes the hops of
     * retries with wait left, parks takeovers for {@link #reclaimAbandoned}, claims the rest (one ledger write for the
     * batch) and hands out what it won. On a failure, what the batch did not hand out goes back to its queue and the
     * channel stays: the deliveries of the worker's running handlers are not disturbed.
     */
    private List<Delivery> admit(WorkerSession current, List<Received> read) {
        // A delivery of a channel closed since it was read is the broker's again (another worker may hold it).
        List<Received> batch = read.stream()
                .filter(r -> r.generation() == current.consumers().generation() && current.usable()).toList();
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Delivery> out = new ArrayList<>();
        Set<Received> settled = new HashSet<>(); // acknowledged, parked or dead-lettered: not to be given back
        try {
            return admitOrThrow(current, batch, out, settled);
        } catch (RuntimeException e) {
            for (Delivery delivery : out) {
                handed.remove(delivery.id());
            }
            for (Received received : batch) {
                if (!settled.contains(received)) {
                    current.consumers().requeue(received);
                }
            }
            throw e;
        }
    }

    private List<Delivery> admitOrThrow(WorkerSession current, List<Received> batch, List<Delivery> out,
                                        Set<Received> settled) {
        long now = System.currentTimeMillis();
        Ledger ledger = current.ledger().ledger();
        List<Pending> toClaim = new ArrayList<>();
        List<Received> toAck = new ArrayList<>();
        List<ConfirmedPublisher.Outgoing> toSend = new ArrayList<>();
        for (Received received : batch) {
            RabbitMessage message = RabbitMessage.of(received.properties(), received.body());
            Admission admission = Admission.of(message, received.source(), now);
            if (admission instanceof Admission.Unreadable unreadable) {
                deadLetterUnread(current, received, message, unreadable.reason());
                settled.add(received);
            } else if (admission instanceof Admission.Hop hop) {
                if (!finished(ledger, message)) {
                    toSend.add(retryMessages.toTier(message, message.round(), hop.progress(), hop.waitMillis()));
                }
                toAck.add(received);
            } else if (admission instanceof Admission.Poison poison) {
                if (finished(ledger, message)) {
                    toAck.add(received);
                } else {
                    // Past the delivery limit: it stopped its consumers that often. The engine dead-letters it.
                    park(new Pending(received, message, Admission.withTakeovers(poison.progress(),
                            workerSettings.engine().maxTakeovers() + 1)));
                    settled.add(received);
                }
            } else if (admission instanceof Admission.Ready ready) {
                Pending pending = new Pending(received, message, ready.progress());
                if (!message.fenced()) {
                    out.add(handOut(received, message, ready.progress(), now));
                } else {
                    Ledger.Verdict verdict = ledger.classify(message.lineage(), message.round(), message.messageId());
                    if (verdict instanceof Ledger.Verdict.Unclaimed) {
                        toClaim.add(pending);
                    } else if (verdict instanceof Ledger.Verdict.Owned) {
                        // Claimed by this very message before: its worker stopped (its channel closed) before
                        // settling it. The queue counts how often that happened to this round; earlier rounds'
                        // takeovers are in its progress.
                        Progress progress = ready.progress();
                        park(new Pending(received, message, Admission.withTakeovers(progress, (int) Math.min(
                                Integer.MAX_VALUE, progress.takeovers() + Math.max(1, message.deliveries())))));
                        settled.add(received);
                    } else {
                        settleUnrun(pending, verdict, toAck, toSend, now);
                    }
                }
            }
        }
        if (!toClaim.isEmpty()) {
            current.ledger().appendAndAwait(toClaim.stream().<LedgerRecord>map(p -> new LedgerRecord.Claim(
                    p.message().lineage(), p.message().round(), p.message().messageId(), worker,
                    p.message().eventName() == null ? "" : p.message().eventName())).toList());
            for (Pending pending : toClaim) {
                RabbitMessage message = pending.message();
                Ledger.Verdict verdict = ledger.classify(message.lineage(), message.round(), message.messageId());
                if (verdict instanceof Ledger.Verdict.Owned || verdict instanceof Ledger.Verdict.Unclaimed) {
                    // Unclaimed: its claim was read back and already forgotten (a ledger past maxRememberedIds).
                    out.add(handOut(pending.received(), message, pending.progress(), now));
                } else {
                    settleUnrun(pending, verdict, toAck, toSend, now);
                }
            }
        }
        sendThenAck(current, toSend, toAck);
        settled.addAll(toAck);
        return out;
    }

    /**
     * A message not to run: a copy of a finished round, or of a round another message runs, is acknowledged; a round
     * settled for a retry that was not written (its worker stopped in between) has its retry written from it first
     * (a second copy of that retry is a duplicate to the ledger).
     */
    private void settleUnrun(Pending pending, Ledger.Verdict verdict, List<Received> toAck,
                             List<ConfirmedPublisher.Outgoing> toSend, long now) {
        if (verdict instanceof Ledger.Verdict.RetryRecorded retry) {
            RabbitMessage message = pending.message();
            long delay;
            try {
                delay = Admission.earliestDelay(ProgressText.decode(retry.nextProgress(), now, 0), now);
            } catch (IllegalArgumentException e) {
                delay = 0; // written by a worker, so readable; if not, the retry's worker dead-letters it
            }
            toSend.add(retryMessages.toTier(message, message.round() + 1, retry.nextProgress(), delay));
        }
        toAck.add(pending.received());
    }

    private static boolean finished(Ledger ledger, RabbitMessage message) {
        if (!message.fenced()) {
            return false;
        }
        Ledger.Verdict verdict = ledger.classify(message.lineage(), message.round(), message.messageId());
        return verdict instanceof Ledger.Verdict.Finished || verdict instanceof Ledger.Verdict.Duplicate;
    }

    private static void sendThenAck(WorkerSession current, List<ConfirmedPublisher.Outgoing> toSend,
                                    List<Received> toAck) {
        current.publisher().send(toSend, "writing " + toSend.size() + " retries back");
        for (Received received : toAck) {
            current.consumers().ack(received);
        }
    }

    private void park(Pending pending) {
        synchronized (takeovers) {
            takeovers.add(pending);
        }
    }

    private Delivery handOut(Received received, RabbitMessage message, Progress progress, long now) {
        long lease = leases.incrementAndGet();
        String id = idOf(received, message);
        handed.put(id, new Handed(received, message, lease, now));
        return new Delivery(id, message.eventName(), message.eventId(), message.envelope(), message.only(), progress,
                now, message.publishedAt() >= 0 ? message.publishedAt() : now, lease);
    }

    private static String idOf(Received received, RabbitMessage message) {
        return message.fenced() ? message.messageId()
                : "g" + received.generation() + "-" + received.deliveryTag();
    }

    private Handed held(Delivery delivery) {
        Handed h = handed.get(delivery.id());
        return h != null && h.lease() == delivery.lease() ? h : null;
    }

    /** Acknowledges a settled hand-out; false when its channel closed (the broker has it back). */
    private boolean release(Handed h, String id) {
        handed.remove(id, h);
        WorkerSession current = session;
        return current != null && current.consumers().ack(h.received());
    }

    /**
     * A message the engine could not even be handed (its hexbus headers are not a round's): dead-lettered here with
     * the reason, under its event id or, without a usable one, an id derived from its own, stably.
     */
    private void deadLetterUnread(WorkerSession current, Received received, RabbitMessage message, String reason) {
        UUID id = Admission.uuidOr(message.eventId(), message.messageId(), received.body());
        String envelope = message.envelope();
        if (received.body().length > maxEnvelopeBytes) {
            envelope = new String(received.body(), 0, maxEnvelopeBytes, StandardCharsets.UTF_8);
        }
        current.deadLetters().write(new DeadLetterRecord(id, message.eventName() != null ? message.eventName() : "?",
                List.of(), 0, reason, envelope, 0));
        counters.deadLettered();
        current.consumers().ack(received);
        log.warn("Worker {}: dead-lettered message {} of {}: {}", worker, message.messageId(),
                settings.names().workQueue(), reason);
    }

    // ---- statistics

    /**
     * Writes a report when what it says changed since the last one: the statistics count what a worker holds from
     * its reports alone (a quorum queue's count is of its ready messages), so a report follows every change within a
     * fetch's wait. The fetch and maintenance threads call it, never a settle: a settle does not wait for a report.
     */
    private void reportIfChanged() {
        stayAlive();
        int now = held();
        long counted = counters.version();
        long nanos = System.nanoTime();
        // At most one every REPORT_SPACING under load (the stream keeps every report for its retention); a change
        // after a quiet spell, idleness among them, is reported at once.
        if ((now != reportedHeld || counted != reportedVersion) && nanos - reportedAtNanos >= REPORT_SPACING_NANOS) {
            reportedAtNanos = nanos;
            if (writeReport()) { // one lost with its connection is written again at the next check
                reportedHeld = now;
                reportedVersion = counted;
            }
        }
    }

    /**
     * Appends an {@link LedgerRecord.Alive} every third of the lease: the other workers take over a message this one
     * claimed only once it has been silent for a whole lease, even when the broker redelivered it at once (this
     * worker's connection dropped while its handler ran).
     */
    private void stayAlive() {
        long now = System.nanoTime();
        if (now - lastAliveNanos < workerSettings.engine().visibilityTimeout().toNanos() / 3) {
            return;
        }
        WorkerSession current = session;
        if (current == null) {
            return;
        }
        lastAliveNanos = now;
        try {
            // What the engine still holds of this worker's, on any channel: a claim of it another worker reads
            // redelivered stays this worker's until it settles.
            current.ledger().append(List.of(new LedgerRecord.Alive(worker, List.copyOf(handed.keySet()))));
        } catch (TransportUnavailableException e) {
            log.info("Worker {}: its ledger heartbeat was not written ({}); the next one is", worker, e.getMessage());
        }
    }

    /** @return whether the report was written */
    private boolean writeReport() {
        WorkerSession current = session;
        if (current == null) {
            return false;
        }
        // One at a time, each built under the lock: the stream keeps them in the order written, and the statistics
        // read the last, which must then be the newest.
        synchronized (reporting) {
            try {
                current.stats().report(counters.report(worker, held(), System.currentTimeMillis()));
                return true;
            } catch (TransportUnavailableException e) {
                log.info("Worker {}: its statistics report was not written ({}); the next one carries it", worker,
                        e.getMessage());
                return false;
            }
        }
    }

    /**
     * @return what this worker holds: handed out, parked for a takeover, and read ahead into its buffers, on its
     *         current channel (what an earlier channel held is the broker's again, counted there)
     */
    private int held() {
        WorkerSession current = session;
        if (current == null || closed || !current.usable()) {
            return 0;
        }
        long generation = current.consumers().generation();
        int parked;
        synchronized (takeovers) {
            parked = (int) takeovers.stream().filter(p -> p.received().generation() == generation).count();
        }
        int live = (int) handed.values().stream().filter(h -> h.received().generation() == generation).count();
        return live + parked + current.consumers().buffered();
    }

    // ---- the session

    private WorkerSession session() {
        WorkerSession current = session;
        if (current != null && current.usable()) {
            return current;
        }
        synchronized (connecting) {
            if (closed) {
                throw new TransportUnavailableException("worker " + worker + " is closed", null);
            }
            current = session;
            if (current != null && current.usable()) {
                return current;
            }
            session = null;
            if (current != null) {
                current.close();
            }
            synchronized (takeovers) {
                takeovers.clear(); // their deliveries were on the closed channel: the broker has them back
            }
            WorkerSession opened = WorkerSession.open(connectionSettings, settings, workerSettings, worker,
                    generations.incrementAndGet());
            session = opened;
            return opened;
        }
    }
}
