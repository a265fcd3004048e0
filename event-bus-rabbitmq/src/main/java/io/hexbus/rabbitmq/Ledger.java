package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fold of an application's ledger stream (docs/rabbitmq-transport.md, "The ledger"): what every worker, having
 * applied the same records in the same order, decides about a fetched message. Pure: no I/O, no clock of its own.
 *
 * <p><b>Rules</b>, per lineage. Only its latest round (the highest any record named) is kept, since a later round
 * exists only once every earlier one was settled {@code retry}:
 * <ul>
 *   <li>the first claim of a round wins; a later claim of it is ignored;</li>
 *   <li>a settle overrides the round's claim; the first settle of a round wins;</li>
 *   <li>a record of a later round replaces what was kept; a record of an earlier round is ignored;</li>
 *   <li>{@link #classify}: a round before the latest is {@link Verdict.Finished} with {@link Outcome#RETRY} (its retry
 *       is out, whether or not its own settle is still known: a redelivered round {@code r} must not run once round
 *       {@code r + 1} exists); the latest round is {@link Verdict.Finished} when settled done or dead,
 *       {@link Verdict.RetryRecorded} when settled retry, {@link Verdict.Owned} when claimed by the message asked
 *       about, {@link Verdict.Duplicate} when claimed by another; a later round, or an unknown lineage, is
 *       {@link Verdict.Unclaimed}.</li>
 * </ul>
 *
 * <p><b>Bounds:</b> a lineage is forgotten once the window has passed since its first record (at the time a record is
 * applied, or {@link #forgetExpired} is called), and past {@code maxIds} lineages the one first recorded earliest is
 * forgotten first. Times are the records' append times as their writers stamped them (epoch ms): a lineage recorded
 * out of time order is forgotten when it reaches the head of the forgetting order.
 *
 * <p><b>Memory</b> per lineage, with compressed references: a map entry and its table slot (about 46 bytes), the
 * lineage's state (32), its key (80 for a 36-character id) and, while its latest round is only claimed, the owner's
 * message id (another 80 for a UUID) or, while it is settled {@code retry}, the next progress's text (about 40 bytes
 * plus a byte a character, two outside Latin-1): about 160 bytes for a lineage settled done or dead, 240 for a
 * claimed one. A million lineages take 160 to 240 MB: size {@code maxIds} to the rate of events times the window.
 *
 * <p>Thread-safe: every method holds the instance's monitor (the stream's tail applies, the workers classify); each
 * call takes well under a microsecond and never blocks otherwise.
 */
final class Ledger {

    /** What a fetched message is, by the ledger. */
    sealed interface Verdict {

        /**
         * The round finished: acknowledge the message, do not run it. {@link Outcome#DONE} or {@link Outcome#DEAD}: it
         * was settled so; {@link Outcome#RETRY}: a later round of its lineage exists, so its retry is out already.
         *
         * @param outcome how it finished
         */
        record Finished(Outcome outcome) implements Verdict {
        }

        /**
         * The round was settled {@code retry} but no later round is known: its worker stopped between the settle and
         * the retry's publish; publish the next round with this progress, then acknowledge.
         *
         * @param nextProgress the next round's progress, as {@link ProgressText} encodes it
         */
        record RetryRecorded(String nextProgress) implements Verdict {
        }

        /**
         * Another message claimed the round first: acknowledge this one, do not run it.
         *
         * @param ownerMessageId the message id of the claim that won
         */
        record Duplicate(String ownerMessageId) implements Verdict {
        }

        /**
         * This message's claim won and the round is not settled: run it. Before the worker claimed the round itself,
         * a takeover (the claimer stopped mid-run and the broker redelivered).
         */
        record Owned() implements Verdict {
        }

        /** No claim nor settle of the round is known: claim it, wait to read the claim back, classify again. */
        record Unclaimed() implements Verdict {
        }
    }

    // The kinds of a round's state (a byte, not an enum reference: the state is kept per lineage).
    private static final byte CLAIMED = 0;
    private static final byte KIND_DONE = 1;
    private static final byte KIND_DEAD = 2;
    private static final byte KIND_RETRY = 3;

    private static final Verdict OWNED = new Verdict.Owned();
    private static final Verdict UNCLAIMED = new Verdict.Unclaimed();
    private static final Verdict SUPERSEDED = new Verdict.Finished(Outcome.RETRY);
    private static final Verdict DONE = new Verdict.Finished(Outcome.DONE);
    private static final Verdict DEAD = new Verdict.Finished(Outcome.DEAD);

    private final long windowMillis;
    private final int maxIds;
    private final LinkedHashMap<String, State> lineages = new LinkedHashMap<>();
    // One string per worker name, shared by its claims; and when each worker was last read from. Both are as many
    // as the workers that ran within the window (worker names are unique per run): a few per deployment, forgotten
    // when the ledger is read anew at a reconnect.
    private final Map<String, String> owners = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, Heartbeat> heartbeats = new HashMap<>();
    private long applied; // records applied: the order of claims and heartbeats

    /** A worker's latest heartbeat: where it stands in the stream, and the message ids it held. */
    private record Heartbeat(long sequence, Set<String> holding) {
    }

    /**
     * @param windowMillis how long a lineage is remembered after its first record, positive
     * @param maxIds       the most lineages remembered, positive
     * @throws IllegalArgumentException if a bound is not positive
     */
    Ledger(long windowMillis, int maxIds) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, got " + windowMillis);
        }
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxIds must be positive, got " + maxIds);
        }
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
    }

    /**
     * Folds one record in, first forgetting the lineages older than the window at {@code appliedAtMillis}. A
     * {@link LedgerRecord.Sync} changes nothing else.
     *
     * @param record          the next record of the stream
     * @param appliedAtMillis its append time, epoch ms
     */
    synchronized void apply(LedgerRecord record, long appliedAtMillis) {
        apply(record, appliedAtMillis, Long.MIN_VALUE);
    }

    /**
     * Folds one record in, as {@link #apply(LedgerRecord, long)}, and notes that its writer was alive when it was read:
     * a {@link LedgerRecord.Alive}, or a claim naming its owner.
     *
     * @param record          the next record of the stream
     * @param appliedAtMillis its append time, epoch ms
     * @param readAtNanos     when this reader read it, on its own monotonic clock ({@link System#nanoTime()})
     */
    synchronized void apply(LedgerRecord record, long appliedAtMillis, long readAtNanos) {
        Objects.requireNonNull(record, "record");
        forgetExpiredAt(appliedAtMillis);
        long sequence = ++applied;
        if (record instanceof LedgerRecord.Alive alive) {
            seen(alive.worker(), readAtNanos);
            if (!alive.worker().isEmpty()) {
                heartbeats.put(alive.worker(), new Heartbeat(sequence, Set.copyOf(alive.holding())));
            }
        } else if (record instanceof Claim claim) {
            seen(claim.owner(), readAtNanos);
            State state = lineages.get(claim.lineage());
            if (state == null) {
                state = new State(appliedAtMillis, claim.round(), CLAIMED, claim.messageId());
                remember(claim.lineage(), state);
            } else if (claim.round() > state.round) {
                state.set(claim.round(), CLAIMED, claim.messageId());
            } else {
                return; // the same round claimed or settled already, or an earlier round: the first record stands
            }
            state.owner = owners.computeIfAbsent(claim.owner(), o -> o);
            state.claimedAt = sequence;
        } else if (record instanceof Settle settle) {
            byte kind = switch (settle.outcome()) {
                case DONE -> KIND_DONE;
                case DEAD -> KIND_DEAD;
                case RETRY -> KIND_RETRY;
            };
            State state = lineages.get(settle.lineage());
            if (state == null) {
                remember(settle.lineage(), new State(appliedAtMillis, settle.round(), kind, settle.nextProgress()));
            } else if (settle.round() > state.round || settle.round() == state.round && state.kind == CLAIMED) {
                state.set(settle.round(), kind, settle.nextProgress());
            }
        }
    }

    /**
     * @param lineage   the fetched message's lineage
     * @param round     its round
     * @param messageId its message id
     * @return what it is, by the records applied so far (see the class's rules)
     */
    synchronized Verdict classify(String lineage, int round, String messageId) {
        State state = lineages.get(Objects.requireNonNull(lineage, "lineage"));
        if (state == null || round > state.round) {
            return UNCLAIMED;
        }
        if (round < state.round) {
            return SUPERSEDED;
        }
        return switch (state.kind) {
            case CLAIMED -> state.detail.equals(messageId) ? OWNED : new Verdict.Duplicate(state.detail);
            case KIND_DONE -> DONE;
            case KIND_DEAD -> DEAD;
            default -> new Verdict.RetryRecorded(state.detail); // KIND_RETRY
        };
    }

    /**
     * @param lineage a lineage
     * @param round   one of its rounds
     * @return the worker that claimed that round, when it is the latest, only claimed, and its claim names one;
     *         else null
     */
    synchronized String owner(String lineage, int round) {
        State state = lineages.get(Objects.requireNonNull(lineage, "lineage"));
        if (state == null || state.round != round || state.kind != CLAIMED || state.owner == null
                || state.owner.isEmpty()) {
            return null;
        }
        return state.owner;
    }

    /**
     * @param worker      a worker's name
     * @param nowNanos    this reader's monotonic clock now
     * @param leaseMillis how long a worker's silence is allowed
     * @return whether a record of that worker (an {@link LedgerRecord.Alive}, a claim) was read less than the lease
     *         ago; a worker this reader never read from is not alive. A reader that just read the stream whole read
     *         everything "now": a worker gone a while ago still looks alive for one lease after the reader started
     */
    synchronized boolean alive(String worker, long nowNanos, long leaseMillis) {
        Long seen = lastSeen.get(worker);
        return seen != null && seen != Long.MIN_VALUE && nowNanos - seen < leaseMillis * 1_000_000L;
    }

    /**
     * Whether a round's claim is still its claimer's: the round is only claimed, its claimer is
     * {@linkplain #alive alive}, and it has written no heartbeat since the claim, or its latest one lists the claimed
     * message as held. A redelivered message whose claim is held waits; one whose claimer let go of it (its handler
     * finished unsettled, or it never ran) is taken over at once.
     *
     * @param lineage     a lineage
     * @param round       its round
     * @param nowNanos    this reader's monotonic clock now
     * @param leaseMillis how long a worker's silence is allowed
     * @return whether the claim is held
     */
    synchronized boolean claimHeld(String lineage, int round, long nowNanos, long leaseMillis) {
        State state = lineages.get(Objects.requireNonNull(lineage, "lineage"));
        if (state == null || state.round != round || state.kind != CLAIMED || state.owner == null
                || state.owner.isEmpty() || !alive(state.owner, nowNanos, leaseMillis)) {
            return false;
        }
        Heartbeat latest = heartbeats.get(state.owner);
        return latest == null || latest.sequence() < state.claimedAt || latest.holding().contains(state.detail);
    }

    private void seen(String worker, long readAtNanos) {
        if (!worker.isEmpty() && readAtNanos != Long.MIN_VALUE) {
            lastSeen.put(worker, readAtNanos);
        }
    }

    /**
     * Forgets the lineages at the head of the forgetting order whose first record is older than the window at
     * {@code nowMillis}: the housekeeping of a ledger no record is applied to for a while.
     *
     * @param nowMillis the time now, epoch ms
     */
    synchronized void forgetExpired(long nowMillis) {
        forgetExpiredAt(nowMillis);
    }

    /** @return how many lineages are remembered, those expired but not yet forgotten included */
    synchronized int size() {
        return lineages.size();
    }

    private void remember(String lineage, State state) {
        if (lineages.size() >= maxIds) {
            Iterator<String> eldest = lineages.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        lineages.put(lineage, state);
    }

    private void forgetExpiredAt(long nowMillis) {
        Iterator<Map.Entry<String, State>> head = lineages.entrySet().iterator();
        while (head.hasNext() && nowMillis - head.next().getValue().firstAt >= windowMillis) {
            head.remove();
        }
    }

    /** A lineage's latest round: claimed (detail: the owner's message id) or settled (detail: the next progress). */
    private static final class State {

        final long firstAt;
        int round;
        byte kind;
        String detail;
        String owner; // the claimer's worker, while CLAIMED
        long claimedAt; // the claim's place in the stream (Ledger.applied), while CLAIMED

        State(long firstAt, int round, byte kind, String detail) {
            this.firstAt = firstAt;
            set(round, kind, detail);
        }

        void set(int round, byte kind, String detail) {
            this.round = round;
            this.kind = kind;
            this.detail = detail;
        }
    }

    @Override
    public synchronized String toString() {
        return "Ledger[" + lineages.size() + " lineages of at most " + maxIds + ", window " + windowMillis + " ms]";
    }
}
