package io.hexbus.engine.reference;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressReport;
import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;
import io.hexbus.engine.stats.SubscriptionStatsFold;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.SubscriptionStats;
import java.util.ArrayList;
import java.util.function.Function;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The in-memory broker of the reference backend: one queue of one consumer group, shared by every
 * {@link ReferenceBackend} (worker) and {@link ReferenceTransport} (process) of a test. It keeps the messages, each
 * unread, leased to a worker until a time on its clock, or scheduled for a retry at a due time; the progress that
 * travels with each; the dead letters; the ids published within the dedupe window; the workers' reports of running
 * handlers; and the group's counters. Every operation takes one lock, so each is atomic, as a broker's script is.
 *
 * <p>A lease lasts the holder's visibility timeout from its last renewal. A write is fenced to the lease: accepted
 * only from the worker that holds the message, for the delivery it was handed last (so a write repeated after the
 * message was claimed again, by the same worker too, is refused); renewals go by message id and worker. A dead-letter retry sends the message back as a new unread message for the named subscriptions
 * (as Redis's redelivery stream does), read by {@code fetch}. Thread-safe; {@link #fetch} blocks, the rest does not.
 */
final class ReferenceQueue {

    private final String group;
    private final Clock clock;
    private final Duration dedupeWindow;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();

    // Guarded by lock.
    private long messageSequence;
    private long deadLetterSequence;
    private long workerSequence;
    private final Map<String, Message> messages = new HashMap<>();
    private final Deque<Message> unread = new ArrayDeque<>();
    private final Set<Message> leased = new LinkedHashSet<>();
    private final TreeSet<Message> scheduled = new TreeSet<>(
            Comparator.comparingLong((Message m) -> m.dueAt).thenComparingLong(m -> m.sequence));
    private final Map<String, Long> rememberedUntil = new HashMap<>();
    private final Map<UUID, Dead> deadLetters = new HashMap<>();
    private final Map<String, Report> reports = new HashMap<>();
    // Per rate-limited subscription, the start times (microseconds, on the clock) of its permits in the window.
    private final Map<String, Deque<Long>> permits = new HashMap<>();
    private final Map<String, SubscriptionCounts> activityTotals = new HashMap<>();
    private final Map<String, Windows> windows = new HashMap<>();
    private final Map<UUID, String> completedIds = new HashMap<>();
    private long completed;
    private long failedAttempts;
    private long takeovers;
    private long unhandled;

    /**
     * @param group        the consumer group the statistics name
     * @param clock        the broker's clock: leases, due times and dead-letter ages are on it
     * @param dedupeWindow how long a published event id is remembered against re-publishing
     */
    ReferenceQueue(String group, Clock clock, Duration dedupeWindow) {
        this.group = group;
        this.clock = clock;
        this.dedupeWindow = dedupeWindow;
    }

    /** A message on the queue; its mutable fields are guarded by the queue's lock. */
    private static final class Message {
        final long sequence;
        final String id;
        final String eventName;
        final String eventId;
        final String envelope;
        final Set<String> onlySubscriptions;
        final long publishedAt;
        Progress progress = Progress.NONE;
        String owner; // the worker holding its lease, or null when unread or scheduled
        Delivery lease; // what that worker was handed: its writes must name this lease, not an earlier one
        long deliveries; // how often it was handed over: each delivery's lease token
        long leaseUntil;
        long dueAt = -1; // when scheduled for a retry, else -1
        long firstFailedAt = -1;

        Message(long sequence, String eventName, String eventId, String envelope, Set<String> onlySubscriptions,
                long publishedAt) {
            this.sequence = sequence;
            this.id = "m-" + sequence;
            this.eventName = eventName;
            this.eventId = eventId;
            this.envelope = envelope;
            this.onlySubscriptions = Set.copyOf(onlySubscriptions);
            this.publishedAt = publishedAt;
        }
    }

    private record Dead(DeadLetter letter, List<String> subscriptions, long lastFailedAt, long sequence) {
    }

    private record Report(int running, long validUntil) {
    }

    private record Windows(Map<String, DurationWindow> bySubscription, long validUntil) {
    }

    /**
     * An event to publish, encoded.
     *
     * @param eventId   its id, the dedupe key
     * @param eventName its name
     * @param envelope  its envelope
     */
    record Entry(String eventId, String eventName, String envelope) {
    }

    /**
     * Takes a rate-limit permit for a subscription, as Redis's {@code acquire-permit-1.lua} does: an exact sliding
     * window of the permits' times, on this queue's clock in microseconds. A permit taken at {@code t} counts until
     * {@code t + per} included, so two permits {@code runs} apart are always more than {@code per} apart.
     *
     * @return 0 when a permit was taken; otherwise the milliseconds until the oldest permit leaves the window
     */
    long acquirePermit(String subscription, RateLimit limit) {
        lock.lock();
        try {
            Instant now = clock.instant();
            long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            long perMicros = limit.per().toNanos() / 1_000;
            Deque<Long> window = permits.computeIfAbsent(subscription, s -> new ArrayDeque<>());
            while (!window.isEmpty() && window.peekFirst() < nowMicros - perMicros) {
                window.removeFirst();
            }
            if (window.size() < limit.runs()) {
                window.addLast(nowMicros);
                return 0;
            }
            long waitMicros = window.peekFirst() + perMicros - nowMicros + 1;
            return Math.max(1, (waitMicros + 999) / 1_000);
        } finally {
            lock.unlock();
        }
    }

    /** @return a worker name not given before on this queue */
    String newWorkerName() {
        lock.lock();
        try {
            return "worker-" + ++workerSequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends the events whose id was not published within the dedupe window, nor earlier in the batch; atomic.
     *
     * @return per event, whether it was a duplicate (and not appended)
     */
    List<Boolean> publish(List<Entry> entries) {
        lock.lock();
        try {
            long now = clock.millis();
            Set<String> inBatch = new HashSet<>();
            List<Boolean> duplicates = new ArrayList<>(entries.size());
            for (Entry entry : entries) {
                Long until = rememberedUntil.get(entry.eventId());
                boolean duplicate = !inBatch.add(entry.eventId()) || (until != null && until > now);
                duplicates.add(duplicate);
                if (!duplicate) {
                    rememberedUntil.put(entry.eventId(), now + dedupeWindow.toMillis());
                    append(entry.eventName(), entry.eventId(), entry.envelope(), Set.of(), now);
                }
            }
            return duplicates;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a message as a foreign producer would: no dedupe, no check of its content. */
    void inject(String eventId, String eventName, String envelope) {
        lock.lock();
        try {
            append(eventName, eventId, envelope, Set.of(), clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private void append(String eventName, String eventId, String envelope, Set<String> only, long now) {
        Message message = new Message(++messageSequence, eventName, eventId, envelope, only, now);
        messages.put(message.id, message);
        unread.addLast(message);
        arrived.signalAll();
    }

    /** Wakes every blocked {@link #fetch}, so that it looks at its stop condition again. */
    void wakeAll() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leases up to {@code max} unread messages to a worker, waiting up to {@code block} for the first one.
     *
     * @param stop checked while waiting: true ends the wait with what there is (nothing)
     * @return the messages, empty when none came in time, or when interrupted (the interrupt flag set again)
     */
    List<Delivery> fetch(String worker, int max, Duration block, Duration lease, BooleanSupplier stop) {
        lock.lock();
        try {
            long left = block.toNanos();
            while (unread.isEmpty()) {
                if (left <= 0 || stop.getAsBoolean()) {
                    return List.of();
                }
                left = arrived.awaitNanos(left);
            }
            long now = clock.millis();
            List<Delivery> read = new ArrayList<>();
            while (read.size() < max && !unread.isEmpty()) {
                read.add(handOver(unread.removeFirst(), worker, lease, now));
            }
            return read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    /** Leases up to {@code max} scheduled messages whose due time has passed, earliest first. */
    List<Delivery> claimDue(String worker, int max, Duration lease) {
        lock.lock();
        try {
            long now = clock.millis();
            List<Delivery> due = new ArrayList<>();
            while (due.size() < max && !scheduled.isEmpty() && scheduled.first().dueAt <= now) {
                Message message = scheduled.pollFirst();
                message.dueAt = -1;
                due.add(handOver(message, worker, lease, now));
            }
            return due;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over up to {@code max} messages whose lease lapsed, except those of this worker listed in
     * {@code held}; counts each takeover in its progress and in the counters.
     */
    List<Delivery> reclaim(String worker, int max, Set<String> held, Duration lease) {
        lock.lock();
        try {
            long now = clock.millis();
            List<Message> lapsed = new ArrayList<>();
            for (Message message : leased) {
                if (lapsed.size() == max) {
                    break;
                }
                if (message.leaseUntil <= now && !(message.owner.equals(worker) && held.contains(message.id))) {
                    lapsed.add(message);
                }
            }
            List<Delivery> taken = new ArrayList<>();
            for (Message message : lapsed) {
                message.progress = message.progress.takenOver();
                takeovers++;
                taken.add(handOver(message, worker, lease, now));
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Extends this worker's leases; returns the ids another worker holds now (a settled one is not lost). */
    Set<String> renew(String worker, Collection<String> held, Duration lease) {
        lock.lock();
        try {
            long now = clock.millis();
            Set<String> lost = new LinkedHashSet<>();
            for (String id : held) {
                Message message = messages.get(id);
                if (message == null || message.owner == null) {
                    continue; // acknowledged, dead-lettered or rescheduled since it was listed
                }
                if (message.owner.equals(worker)) {
                    message.leaseUntil = now + lease.toMillis();
                } else {
                    lost.add(id);
                }
            }
            return lost;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and counts the messages this worker holds; returns the ids it does not hold. */
    Set<String> acknowledge(String worker, Collection<Acknowledgement> done) {
        lock.lock();
        try {
            Set<String> lost = new LinkedHashSet<>();
            for (Acknowledgement ack : done) {
                Message message = owned(worker, ack.delivery());
                if (message == null) {
                    lost.add(ack.delivery().id());
                    continue;
                }
                remove(message);
                if (ack.kind() == Acknowledgement.Kind.COMPLETED) {
                    completed++;
                    completedIds.put(UUID.fromString(message.eventId), message.eventName);
                } else {
                    unhandled++;
                }
            }
            return lost;
        } finally {
            lock.unlock();
        }
    }

    /** Records a round's progress and schedules the message, if this worker holds it. */
    boolean reschedule(String worker, Delivery delivery, ProgressUpdate update, long delayMillis, int failed) {
        lock.lock();
        try {
            Message message = owned(worker, delivery);
            if (message == null) {
                return false;
            }
            long now = clock.millis();
            message.progress = message.progress.after(update, now);
            if (failed > 0 && message.firstFailedAt < 0) {
                message.firstFailedAt = now;
            }
            leased.remove(message);
            message.owner = null;
            message.lease = null;
            message.dueAt = now + Math.max(0, delayMillis);
            scheduled.add(message);
            failedAttempts += failed;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the message to the dead letters, if this worker holds it; a dead letter of the same id is replaced. */
    boolean deadLetter(String worker, Delivery delivery, DeadLetterRecord record) {
        lock.lock();
        try {
            Message message = owned(worker, delivery);
            if (message == null) {
                return false;
            }
            long now = clock.millis();
            remove(message);
            long first = message.firstFailedAt < 0 ? now : message.firstFailedAt;
            DeadLetter letter = new DeadLetter(record.eventId(), record.eventName(), record.subscriptions(),
                    record.attempts(), record.error(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(now),
                    record.envelope());
            deadLetters.put(record.eventId(), new Dead(letter, record.subscriptions(), now, ++deadLetterSequence));
            failedAttempts += record.failedAttempts();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records how many handlers a worker runs now, valid for {@code lease}. */
    void report(String worker, int running, Duration lease) {
        lock.lock();
        try {
            if (running == 0) {
                reports.remove(worker);
            } else {
                reports.put(worker, new Report(running, clock.millis() + lease.toMillis()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds a worker's counts to the totals and replaces its windows, which lapse unless renewed. */
    void recordActivity(String worker, SubscriptionActivity activity) {
        lock.lock();
        try {
            activity.counts().forEach((name, counts) -> activityTotals.merge(name, counts, SubscriptionCounts::plus));
            windows.put(worker, new Windows(activity.windows(), clock.millis() + SubscriptionActivity.LAPSE.toMillis()));
        } finally {
            lock.unlock();
        }
    }

    List<SubscriptionStats> subscriptionStats() {
        lock.lock();
        try {
            long now = clock.millis();
            Map<String, List<DurationWindow>> live = new HashMap<>();
            windows.values().stream().filter(w -> w.validUntil() > now).forEach(w -> w.bySubscription().forEach(
                    (name, window) -> live.computeIfAbsent(name, n -> new ArrayList<>()).add(window)));
            return SubscriptionStatsFold.fold(activityTotals, live, SubscriptionActivity.WINDOW);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param subscriptionsOf the application's subscriptions of an event name
     * @return the event's progress: on the queue, dead-lettered or completed; empty if unknown
     */
    Optional<EventProgress> eventProgress(UUID eventId, Function<String, List<String>> subscriptionsOf) {
        lock.lock();
        try {
            String id = eventId.toString();
            Optional<Message> onQueue = messages.values().stream().filter(m -> m.eventId.equals(id))
                    .max(Comparator.comparingLong(m -> m.sequence));
            if (onQueue.isPresent()) {
                Message message = onQueue.get();
                List<String> subscriptions = message.onlySubscriptions.isEmpty()
                        ? subscriptionsOf.apply(message.eventName) : List.copyOf(message.onlySubscriptions);
                return Optional.of(ProgressReport.onQueue(eventId, message.eventName, message.progress, subscriptions));
            }
            Dead dead = deadLetters.get(eventId);
            if (dead != null) {
                return Optional.of(ProgressReport.deadLettered(dead.letter(),
                        subscriptionsOf.apply(dead.letter().eventName())));
            }
            String name = completedIds.get(eventId);
            return name == null ? Optional.empty()
                    : Optional.of(ProgressReport.completed(eventId, name, subscriptionsOf.apply(name)));
        } finally {
            lock.unlock();
        }
    }

    /** Forgets ids past the dedupe window and reports that lapsed. */
    void housekeeping() {
        lock.lock();
        try {
            long now = clock.millis();
            rememberedUntil.values().removeIf(until -> until <= now);
            reports.values().removeIf(report -> report.validUntil() <= now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fault for tests: hands a message's lease to another worker, as a takeover would, without counting it.
     *
     * @return whether the message is there to take
     */
    boolean steal(String id, String thief, Duration lease) {
        lock.lock();
        try {
            Message message = messages.get(id);
            if (message == null) {
                return false;
            }
            unread.remove(message);
            scheduled.remove(message);
            message.dueAt = -1;
            handOver(message, thief, lease, clock.millis());
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- admin ----

    QueueStats stats() {
        lock.lock();
        try {
            long now = clock.millis();
            long running = reports.values().stream().filter(r -> r.validUntil() > now)
                    .mapToLong(Report::running).sum();
            long held = leased.size();
            // A report may be a moment old: a handler reported running may have finished since.
            long active = Math.min(running, held);
            return new QueueStats(group, unread.size(), active, held - active, scheduled.size(), 0, completed,
                    deadLetters.size(), failedAttempts, takeovers, unhandled);
        } finally {
            lock.unlock();
        }
    }

    DeadLetterPage deadLetters(int offset, int limit) {
        lock.lock();
        try {
            List<DeadLetter> newestFirst = deadLetters.values().stream()
                    .sorted(Comparator.comparingLong(Dead::lastFailedAt).thenComparingLong(Dead::sequence).reversed())
                    .map(Dead::letter).toList();
            List<DeadLetter> page = offset >= newestFirst.size() ? List.of()
                    : newestFirst.subList(offset, Math.min(newestFirst.size(), offset + limit));
            return new DeadLetterPage(page, offset, newestFirst.size());
        } finally {
            lock.unlock();
        }
    }

    Optional<DeadLetter> deadLetter(UUID eventId) {
        lock.lock();
        try {
            return Optional.ofNullable(deadLetters.get(eventId)).map(Dead::letter);
        } finally {
            lock.unlock();
        }
    }

    /** Sends a dead letter back, for its failed subscriptions only, and removes it. */
    boolean retry(UUID eventId) {
        lock.lock();
        try {
            Dead dead = deadLetters.remove(eventId);
            if (dead == null) {
                return false;
            }
            DeadLetter letter = dead.letter();
            append(letter.eventName(), letter.eventId().toString(), letter.envelope(), Set.copyOf(dead.subscriptions()),
                    clock.millis());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Retries every dead letter there is now, oldest first. */
    int retryAll() {
        lock.lock();
        try {
            List<UUID> oldestFirst = deadLetters.values().stream()
                    .sorted(Comparator.comparingLong(Dead::lastFailedAt).thenComparingLong(Dead::sequence))
                    .map(d -> d.letter().eventId()).toList();
            oldestFirst.forEach(this::retry);
            return oldestFirst.size();
        } finally {
            lock.unlock();
        }
    }

    boolean remove(UUID eventId) {
        lock.lock();
        try {
            return deadLetters.remove(eventId) != null;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the dead letters whose last failure is at least {@code age} old. */
    int cleanDeadLetters(Duration age) {
        lock.lock();
        try {
            long cutoff = clock.millis() - age.toMillis();
            int cleaned = 0;
            for (Iterator<Dead> it = deadLetters.values().iterator(); it.hasNext(); ) {
                if (it.next().lastFailedAt() <= cutoff) {
                    it.remove();
                    cleaned++;
                }
            }
            return cleaned;
        } finally {
            lock.unlock();
        }
    }

    // ---- inside the lock ----

    /**
     * The message a write is for, if the writer holds its lease still: the lease it was handed with this delivery,
     * not an earlier one of the same worker. A write that was applied although it threw, and is written again
     * after the message was claimed anew (by this worker too), is refused instead of undoing the new round.
     */
    private Message owned(String worker, Delivery delivery) {
        Message message = messages.get(delivery.id());
        return message != null && worker.equals(message.owner) && delivery.equals(message.lease) ? message : null;
    }

    private Delivery handOver(Message message, String worker, Duration lease, long now) {
        message.owner = worker;
        message.leaseUntil = now + lease.toMillis();
        message.lease = delivery(message, now);
        leased.add(message);
        return message.lease;
    }

    // Only a leased message is settled: it is in neither the unread queue nor the retry set.
    private void remove(Message message) {
        messages.remove(message.id);
        leased.remove(message);
    }

    private static Delivery delivery(Message message, long now) {
        return new Delivery(message.id, message.eventName, message.eventId, message.envelope,
                message.onlySubscriptions, message.progress, now, message.publishedAt, ++message.deliveries);
    }

    /** @return for tests: the lease holder of a message, empty when unread, scheduled or gone */
    Optional<String> ownerOf(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(messages.get(id)).map(m -> m.owner);
        } finally {
            lock.unlock();
        }
    }
}
