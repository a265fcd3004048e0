package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's half of the RabbitMQ transport (docs/rabbitmq-transport.md): a connection of its own, consumers on
 * its application's work, due and poison queues, the application's ledger stream read into a {@link Ledger}, and
 * the streams of dead letters and statistics.
 *
 * <ul>
 *   <li><b>Leases</b> are AMQP's: a delivery is the worker's until acknowledged or its channel closes, when the
 *       broker returns it; the ledger's claims turn a redelivery into a takeover ({@link #reclaimAbandoned}) and a
 *       copy of a round someone else claimed or finished into nothing.</li>
 *   <li><b>Settles</b> are appended to the ledger (confirmed) before the delivery is acknowledged, and written even
 *       when the channel closed meanwhile: the copy the broker redelivers is then dropped, not run again.</li>
 *   <li><b>Due times</b> are measured by the retry tiers' TTLs on the broker, never by a worker's clock; a delivery's
 *       {@link Delivery#brokerNow()} is this worker's clock at hand-over, against which its due times were made.</li>
 * </ul>
 *
 * <p>Thread-safe as {@link QueueBackend} requires: the fetch thread reads new events, the maintenance thread due
 * retries and takeovers, job threads settle; (re)connecting is serialised.
 */
final class RabbitQueueBackend implements QueueBackend {

    private static final Logger log = LoggerFactory.getLogger(RabbitQueueBackend.class);

    /** How often a worker checkpoints the counters of departed workers: well within the stats retention. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(5);

    /** How long a worker's last report is old before a checkpoint takes its counters over. */
    static final Duration DEPARTED_AFTER = Duration.ofMinutes(10);

    private record Handed(Received received, RabbitMessage message, long lease) {
    }

    private record Pending(Received received, RabbitMessage message, Progress progress) {
    }

    private final RabbitConnectionSettings connectionSettings;
    private final RabbitQueueSettings settings;
    private final RabbitWorkerSettings workerSettings;
    private final String worker;
    private final int maxEnvelopeBytes;
    private final RetryMessages retryMessages;
    private volatile Ledger ledger; // read anew with each connection: a broken ledger stream is not resumed
    private final WorkerCounters counters = new WorkerCounters();
    private final Map<String, Handed> handed = new ConcurrentHashMap<>();
    private final Deque<Pending> takeovers = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong leases = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();

    private final Object connecting = new Object();
    private final Object reporting = new Object();
    private volatile Connection connection;
    private volatile WorkerConsumers consumers;
    private volatile ConfirmedPublisher publisher;
    private volatile LedgerStream ledgerStream;
    private volatile DeadLetterStream deadLetters;
    private volatile StatsStream stats;
    private volatile boolean closed;
    private volatile long lastCheckpoint;
    private volatile int reportedHeld = -1;
    private volatile long reportedVersion = -1;

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
        connected();
        writeReport();
    }

    // ---- reading

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        WorkerConsumers from = connected().consumers;
        List<Delivery> out = admit(take(from, Received.Source.WORK, max, block));
        reportIfChanged();
        return out;
    }

    @Override
    public void idle() {
        reportIfChanged();
    }

    @Override
    public List<Delivery> claimDue(int max) {
        WorkerConsumers from = connected().consumers;
        List<Received> read = take(from, Received.Source.POISON, max, Duration.ZERO);
        if (read.size() < max) {
            read.addAll(take(from, Received.Source.DUE, max - read.size(), Duration.ZERO));
        }
        List<Delivery> out = admit(read);
        reportIfChanged();
        return out;
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        List<Delivery> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (takeovers) {
            int waiting = takeovers.size();
            for (int i = 0; i < waiting && out.size() < max; i++) {
                Pending pending = takeovers.poll();
                // The earlier delivery of it still runs here (its channel closed under it): it settles first.
                if (held.contains(idOf(pending.received(), pending.message()))) {
                    takeovers.add(pending);
                    continue;
                }
                out.add(handOut(pending.received(), pending.message(), pending.progress(), now));
                counters.takenOver();
            }
        }
        return out;
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        Set<String> lost = new HashSet<>();
        for (String id : held) {
            Handed h = handed.get(id);
            if (h != null && !leased(h)) {
                lost.add(id);
                handed.remove(id, h); // the engine drops it: no longer held, nor counted in the reports
            }
        }
        return lost;
    }

    /** @return whether its delivery is still this worker's: the channel it came on is the open one */
    private boolean leased(Handed h) {
        WorkerConsumers current = consumers;
        return current != null && h.received().generation() == current.generation() && current.isOpen();
    }

    // ---- settling

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        Set<String> refused = new HashSet<>();
        List<Map.Entry<Acknowledgement, Handed>> current = new ArrayList<>();
        List<LedgerRecord> settles = new ArrayList<>();
        for (Acknowledgement ack : done) {
            Handed h = held(ack.delivery());
            if (h == null || !leased(h)) {
                // Its channel closed: the broker gave the message back and another run takes it over (and settles
                // and counts it). Settling it here too would count one event completed twice.
                if (h != null) {
                    handed.remove(ack.delivery().id(), h);
                }
                refused.add(ack.delivery().id());
                continue;
            }
            if (h.message().fenced()) {
                settles.add(new LedgerRecord.Settle(h.message().lineage(), h.message().round(),
                        LedgerRecord.Outcome.DONE, null));
            }
            current.add(Map.entry(ack, h));
        }
        if (!settles.isEmpty()) { // none: every one refused, or unfenced (a foreign message without an id)
            ledgerStream().append(settles); // first: a redelivered copy of what finished is then dropped
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
        long now = System.currentTimeMillis();
        String next = ProgressText.encode(delivery.progress().after(update, now), now);
        RabbitMessage message = h.message();
        if (message.fenced()) {
            ledgerStream().append(List.of(new LedgerRecord.Settle(message.lineage(), message.round(),
                    LedgerRecord.Outcome.RETRY, next)));
        }
        publisher().send(List.of(retryMessages.toTier(message, message.round() + 1, next, delayMillis)),
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
        // The statistics read the dead letters, then the reports: before the dead letter shows, a report counts its
        // last round's failed attempts, and the message as settling (neither reserved nor running).
        counters.failedAttempts(record.failedAttempts());
        counters.settling(1);
        try {
            writeReport();
            deadLetters().write(record);
            if (h.message().fenced()) {
                ledgerStream().append(List.of(new LedgerRecord.Settle(h.message().lineage(), h.message().round(),
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

    @Override
    public void reportRunning(int running) {
        counters.running(running);
        writeReport();
    }

    @Override
    public void housekeeping() {
        long now = System.currentTimeMillis();
        Ledger current = ledger;
        if (current != null) {
            current.forgetExpired(now);
        }
        writeReport();
        StatsStream to = stats;
        if (to != null && now - lastCheckpoint >= CHECKPOINT_INTERVAL.toMillis()) {
            lastCheckpoint = now;
            try {
                // The counters of workers gone for a while move into a checkpoint before the stream ages them out.
                to.checkpoint(now - DEPARTED_AFTER.toMillis(), now);
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
            // Its deliveries go back to the queues with its consuming channel: its last report holds nothing.
            WorkerConsumers old = consumers;
            consumers = null;
            if (old != null) {
                old.close();
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
            disconnect();
        }
    }

    // ---- internals

    private List<Received> take(WorkerConsumers from, Received.Source source, int max, Duration wait) {
        try {
            return new ArrayList<>(from.take(source, max, wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ArrayList<>();
        }
    }

    /**
     * Turns what was read into hand-outs: drops copies of what finished or someone else claimed, writes the hops of
     * retries with wait left, parks takeovers for {@link #reclaimAbandoned}, claims the rest (one ledger write for the
     * batch) and hands out what it won.
     */
    private List<Delivery> admit(List<Received> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        try {
            return admitOrThrow(batch);
        } catch (RuntimeException e) {
            // What was read and not yet handed out must not stay unacknowledged on a channel nobody reads again:
            // the connection goes, returning it to the queues, and the next call connects again.
            synchronized (connecting) {
                disconnect();
            }
            throw e;
        }
    }

    private List<Delivery> admitOrThrow(List<Received> batch) {
        long now = System.currentTimeMillis();
        List<Delivery> out = new ArrayList<>();
        List<Pending> toClaim = new ArrayList<>();
        List<Pending> toRecheck = new ArrayList<>();
        List<Received> toAck = new ArrayList<>();
        List<ConfirmedPublisher.Outgoing> toSend = new ArrayList<>();
        for (Received received : batch) {
            RabbitMessage message = RabbitMessage.of(received.properties(), received.body());
            Admission admission = Admission.of(message, received.source(), now);
            if (admission instanceof Admission.Unreadable unreadable) {
                deadLetterUnread(received, message, unreadable.reason());
            } else if (admission instanceof Admission.Hop hop) {
                if (!finished(message)) {
                    toSend.add(retryMessages.toTier(message, message.round(), hop.progress(), hop.waitMillis()));
                }
                toAck.add(received);
            } else if (admission instanceof Admission.Poison poison) {
                if (finished(message)) {
                    toAck.add(received);
                } else {
                    // Past the delivery limit: it stopped its consumers that often. The engine dead-letters it.
                    park(new Pending(received, message, Admission.withTakeovers(poison.progress(),
                            workerSettings.engine().maxTakeovers() + 1)));
                }
            } else if (admission instanceof Admission.Ready ready) {
                if (message.fenced()) {
                    decide(new Pending(received, message, ready.progress()), false, toClaim, toRecheck, out, toAck,
                            toSend, now);
                } else {
                    out.add(handOut(received, message, ready.progress(), now));
                }
            }
        }
        if (!toClaim.isEmpty() || !toRecheck.isEmpty()) {
            List<LedgerRecord> records = new ArrayList<>(toClaim.stream().<LedgerRecord>map(p -> new LedgerRecord.Claim(
                    p.message().lineage(), p.message().round(), p.message().messageId())).toList());
            if (records.isEmpty()) {
                records.add(new LedgerRecord.Sync(UUID.randomUUID().toString()));
            }
            // Read back: the fold then holds every settle appended before, a takeover's candidates' included.
            ledgerStream().appendAndAwait(records);
            for (Pending pending : toClaim) {
                decide(pending, true, null, null, out, toAck, toSend, now);
            }
            for (Pending pending : toRecheck) {
                decide(pending, false, null, null, out, toAck, toSend, now);
            }
        }
        publisher().send(toSend, "writing " + toSend.size() + " retries back");
        WorkerConsumers current = consumers;
        for (Received received : toAck) {
            if (current != null) {
                current.ack(received);
            }
        }
        return out;
    }

    /** @return whether the ledger says its round is over, or is another message's to run */
    private boolean finished(RabbitMessage message) {
        if (!message.fenced()) {
            return false;
        }
        Ledger.Verdict verdict = ledger.classify(message.lineage(), message.round(), message.messageId());
        return verdict instanceof Ledger.Verdict.Finished || verdict instanceof Ledger.Verdict.Duplicate;
    }

    private void decide(Pending pending, boolean claimed, List<Pending> toClaim, List<Pending> toRecheck,
                        List<Delivery> out,
                        List<Received> toAck, List<ConfirmedPublisher.Outgoing> toSend, long now) {
        RabbitMessage message = pending.message();
        Ledger.Verdict verdict = ledger.classify(message.lineage(), message.round(), message.messageId());
        if (verdict instanceof Ledger.Verdict.Unclaimed) {
            if (claimed || toClaim == null) {
                // Its claim was read back and is already forgotten (a ledger past maxIds): run it, unfenced.
                log.warn("Worker {}: the claim of {} was forgotten at once; raise maxRememberedIds", worker,
                        message.lineage());
                out.add(handOut(pending.received(), message, pending.progress(), now));
            } else {
                toClaim.add(pending);
            }
        } else if (verdict instanceof Ledger.Verdict.Owned) {
            if (claimed) {
                out.add(handOut(pending.received(), message, pending.progress(), now));
            } else if (toRecheck != null) {
                // Claimed by this very message before: its worker stopped (its channel closed), maybe just after its
                // settle was appended. Decided again once this worker's tail has read the ledger up to now: taken
                // over on a lagging fold, a round recorded done would run again (and count twice).
                toRecheck.add(pending);
            } else {
                // Its worker stopped (its channel closed) before settling it.
                park(new Pending(pending.received(), message, pending.progress().takenOver()));
            }
        } else if (verdict instanceof Ledger.Verdict.RetryRecorded retry) {
            // Its worker settled it for a retry and stopped before the retry was written or acknowledged: written
            // again from here (a second copy of that round is a duplicate to the ledger).
            Progress next = ProgressText.decode(retry.nextProgress(), now, 0);
            toSend.add(retryMessages.toTier(message, message.round() + 1, retry.nextProgress(),
                    Admission.earliestDelay(next, now)));
            toAck.add(pending.received());
        } else {
            toAck.add(pending.received()); // finished, or a copy of a round another message runs
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
        handed.put(id, new Handed(received, message, lease));
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
        WorkerConsumers current = consumers;
        return current != null && current.ack(h.received());
    }

    /**
     * A message the engine could not even be handed (its routing headers are not a round's): dead-lettered here with
     * the reason, under its event id or, without a usable one, an id derived from its own, stably.
     */
    private void deadLetterUnread(Received received, RabbitMessage message, String reason) {
        UUID id = Admission.uuidOr(message.eventId(), message.messageId(), received.body());
        String envelope = message.envelope();
        int limit = maxEnvelopeBytes;
        if (received.body().length > limit) {
            envelope = new String(received.body(), 0, limit, StandardCharsets.UTF_8);
        }
        deadLetters().write(new DeadLetterRecord(id, message.eventName() != null ? message.eventName() : "?",
                List.of(), 0, reason, envelope, 0));
        counters.deadLettered();
        WorkerConsumers current = consumers;
        if (current != null) {
            current.ack(received);
        }
        log.warn("Worker {}: dead-lettered message {} of {}: {}", worker, message.messageId(),
                settings.names().workQueue(), reason);
    }

    /**
     * Writes a report when what it says changed since the last one: the statistics count what a worker holds from
     * its reports alone (a quorum queue's count is of its ready messages), so a report follows every change within a
     * fetch's wait. The fetch and maintenance threads call it, never a settle: a settle does not wait for a report.
     */
    private void reportIfChanged() {
        int now = held();
        long counted = counters.version();
        // Marked reported only once written: a report lost with its connection is written again at the next call,
        // or the statistics would keep the lost one's predecessor while nothing changes (a worker gone idle).
        if ((now != reportedHeld || counted != reportedVersion) && writeReport()) {
            reportedHeld = now;
            reportedVersion = counted;
        }
    }

    /** @return whether the report was written; false without a connection, tried again at the next check */
    private boolean writeReport() {
        StatsStream to = stats;
        if (to == null) {
            return false;
        }
        // One at a time, each built under the lock: the stream keeps them in the order written, and the statistics
        // read the last, which must then be the newest.
        synchronized (reporting) {
            try {
                to.report(counters.report(worker, held(), System.currentTimeMillis()));
                return true;
            } catch (TransportUnavailableException e) {
                log.info("Worker {}: its statistics report was not written ({}); written again at the next check",
                        worker, e.getMessage());
                return false;
            }
        }
    }

    /** @return what this worker holds: handed out, parked for a takeover, and read ahead into its buffers */
    private int held() {
        WorkerConsumers current = consumers;
        int parked;
        synchronized (takeovers) {
            parked = takeovers.size();
        }
        return handed.size() + parked + (current == null ? 0 : current.buffered());
    }

    // ---- the connection

    private RabbitQueueBackend connected() {
        if (healthy()) {
            return this;
        }
        synchronized (connecting) {
            if (closed) {
                throw new TransportUnavailableException("worker " + worker + " is closed", null);
            }
            if (healthy()) {
                return this;
            }
            disconnect();
            Duration timeout = settings.commandTimeout();
            Connection opened = connectionSettings.connect(worker, timeout);
            try {
                RabbitTopology.declare(opened, settings);
                RabbitNames names = settings.names();
                publisher = new ConfirmedPublisher(opened, timeout, connectionSettings.describe());
                Ledger read = new Ledger(settings.dedupeWindow().toMillis(), settings.maxRememberedIds());
                ledgerStream = LedgerStream.open(opened, names.ledgerStream(), read, timeout);
                ledger = read;
                deadLetters = new DeadLetterStream(opened, names.deadLetterStream(), settings.deadLetterRetention(),
                        timeout, java.time.Clock.systemUTC());
                stats = new StatsStream(opened, names.statsStream(), timeout);
                connection = opened; // before the consumers: a reader that sees them open reads the connection
                Object version = opened.getServerProperties().get("version");
                consumers = WorkerConsumers.start(opened, names, generations.incrementAndGet(),
                        workerSettings.prefetch(), worker,
                        workerSettings.consumerArguments(version == null ? "" : version.toString()));
                return this;
            } catch (java.io.IOException e) {
                closeQuietly(opened);
                throw new TransportUnavailableException("worker " + worker + " could not consume from RabbitMQ at "
                        + connectionSettings.describe() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(opened);
                throw e;
            }
        }
    }

    private boolean healthy() {
        WorkerConsumers current = consumers;
        LedgerStream ledgerNow = ledgerStream;
        Connection open = connection;
        return current != null && current.isOpen() && ledgerNow != null && !ledgerNow.isBroken() && open != null
                && open.isOpen();
    }

    private LedgerStream ledgerStream() {
        return connected().ledgerStream;
    }

    private ConfirmedPublisher publisher() {
        return connected().publisher;
    }

    private DeadLetterStream deadLetters() {
        return connected().deadLetters;
    }

    // Called holding `connecting`. What this worker held goes back to the queues with the connection.
    private void disconnect() {
        WorkerConsumers oldConsumers = consumers;
        consumers = null;
        if (oldConsumers != null) {
            oldConsumers.close();
        }
        LedgerStream oldLedger = ledgerStream;
        ledgerStream = null;
        if (oldLedger != null) {
            oldLedger.close();
        }
        ConfirmedPublisher oldPublisher = publisher;
        publisher = null;
        if (oldPublisher != null) {
            oldPublisher.close();
        }
        Connection old = connection;
        connection = null;
        if (old != null) {
            closeQuietly(old);
        }
        synchronized (takeovers) {
            takeovers.clear(); // their deliveries were on the closed channel: the broker has them back
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection.isOpen()) {
                connection.close(2_000);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // closing anyway: the broker returns its deliveries when the socket goes
        }
    }
}
