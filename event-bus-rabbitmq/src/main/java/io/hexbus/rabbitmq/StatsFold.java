package io.hexbus.rabbitmq;

import io.hexbus.engine.stats.SubscriptionCounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A group's statistics: the records of its stats stream ({@link StatsLog}) applied in offset order. The totals are
 * the latest {@link StatsLog.Checkpoint}'s plus the latest report of each worker it did not absorb (a worker with
 * no absorbed report at or after its latest report's offset); the per-subscription totals likewise, from the
 * workers' latest {@link StatsActivity} records. A worker's records of both kinds are absorbed together.
 *
 * <p>Why checkpoints: the stream ages records out ({@code x-max-age}), so the counters of a worker gone for longer
 * than the retention would vanish with its reports. Any worker's housekeeping may append the next checkpoint
 * ({@link #nextCheckpoint}): a full snapshot, the latest checkpoint plus the reports of the workers that departed
 * since (silent for a threshold). Checkpoints written at once are safe: the later in the stream wins, and a worker
 * only the losing one absorbed still counts through its own report, until a later checkpoint absorbs it. That holds
 * as long as checkpoints are written more often than reports age out: the departure threshold plus the
 * housekeeping period must be well under the retention.
 *
 * <p>Pure; not thread-safe: filled by one reader, then only read.
 */
final class StatsFold {

    /**
     * The sums over a group's reports and checkpoint, as Kafka's worker reports give them.
     *
     * @param completed      summed over every worker counted
     * @param failedAttempts summed over every worker counted
     * @param deadLettered   summed over every worker counted: events dead-lettered, not those there now
     * @param takeovers      summed over every worker counted
     * @param unhandled      summed over every worker counted
     * @param active         over fresh reports only: handlers running, at most the messages held
     * @param reserved       over fresh reports only: messages held, not running and not settling
     * @param settling       over fresh reports only: messages held whose settle is under way
     * @param workers        how many workers count through a report of their own (not absorbed)
     * @param fresh          how many of them are fresh
     * @param undecodable    how many messages read did not decode (and were skipped)
     */
    record Totals(long completed, long failedAttempts, long deadLettered, long takeovers, long unhandled, long active,
                  long reserved, long settling, int workers, int fresh, long undecodable) {
    }

    private record Seen(StatsReport report, long offset) {
    }

    private record SeenActivity(StatsActivity activity, long offset) {
    }

    private record Windows(Map<String, String> bySubscription, long writtenAtMillis) {
    }

    private final Map<String, Seen> latest = new HashMap<>();
    private final Map<String, SeenActivity> latestActivity = new HashMap<>();
    private final Map<String, Windows> latestWindows = new HashMap<>();
    private StatsLog.Checkpoint checkpoint;
    private long undecodable;

    /**
     * Applies the next record, in offset order.
     *
     * @param offset its stream offset
     * @param entry  the record
     */
    void apply(long offset, StatsLog.Entry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry instanceof StatsReport report) {
            latest.put(report.worker(), new Seen(report, offset));
        } else if (entry instanceof StatsActivity activity) {
            latestActivity.put(activity.worker(), new SeenActivity(activity, offset));
            if (activity.withWindows()) {
                latestWindows.put(activity.worker(), new Windows(activity.windows(), activity.writtenAtMillis()));
            }
        } else {
            checkpoint = (StatsLog.Checkpoint) entry;
        }
    }

    /** Counts a message of the stream that did not decode, and was skipped. */
    void skipUndecodable() {
        undecodable++;
    }

    /** @return the latest checkpoint applied, or empty */
    Optional<StatsLog.Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /**
     * Sums the checkpoint and the reports not absorbed. A report is fresh when written less than {@code staleness}
     * before {@code nowMillis}; one written after it (the worker's clock is ahead) is fresh too.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @param staleness how old a report may be for its running and held counts to count; positive
     * @return the totals; a sum beyond {@link Long#MAX_VALUE} stays at it
     * @throws IllegalArgumentException if {@code staleness} is not positive
     */
    Totals totals(long nowMillis, Duration staleness) {
        Objects.requireNonNull(staleness, "staleness");
        if (staleness.isZero() || staleness.isNegative()) {
            throw new IllegalArgumentException("staleness must be positive, got " + staleness);
        }
        StatsLog.Counters counters = checkpoint == null ? StatsLog.Counters.ZERO : checkpoint.totals();
        long active = 0;
        long reserved = 0;
        long settling = 0;
        int workers = 0;
        int fresh = 0;
        for (Seen seen : latest.values()) {
            if (absorbed(seen.report().worker(), seen.offset())) {
                continue;
            }
            StatsReport report = seen.report();
            counters = counters.plus(report.counters());
            workers++;
            if (nowMillis - report.writtenAtMillis() < staleness.toMillis()) {
                fresh++;
                // Running and held are counted at different moments by the worker: never more running than held.
                long notSettling = report.held() - report.settling();
                long running = Math.min(report.running(), notSettling);
                active = StatsLog.Counters.add(active, running);
                reserved = StatsLog.Counters.add(reserved, notSettling - running);
                settling = StatsLog.Counters.add(settling, report.settling());
            }
        }
        return new Totals(counters.completed(), counters.failedAttempts(), counters.deadLettered(),
                counters.takeovers(), counters.unhandled(), active, reserved, settling, workers, fresh, undecodable);
    }

    /**
     * The checkpoint to append now: the latest one's totals plus the latest reports, not yet absorbed, of the
     * workers silent for {@code departedAfterMillis} (by their reports' times); it forgets the absorbed names whose
     * reports it covers are all gone from the stream (their latest report is later, or none is left), since those
     * can no longer be counted twice.
     *
     * @param departedAfterMillis how long a worker must have been silent to count as departed, ms; positive
     * @param nowMillis           now, epoch ms, on the writer's clock: the checkpoint's time
     * @return the checkpoint, or empty when it would change nothing (no worker departed, no name to forget)
     * @throws IllegalArgumentException if {@code departedAfterMillis} is not positive
     */
    Optional<StatsLog.Checkpoint> nextCheckpoint(long departedAfterMillis, long nowMillis) {
        if (departedAfterMillis <= 0) {
            throw new IllegalArgumentException("departedAfterMillis must be positive, got " + departedAfterMillis);
        }
        StatsLog.Counters totals = checkpoint == null ? StatsLog.Counters.ZERO : checkpoint.totals();
        Map<String, SubscriptionCounts> subscriptions = new HashMap<>(checkpoint == null ? Map.of()
                : checkpoint.subscriptions());
        Map<String, Long> absorbed = new HashMap<>();
        boolean changed = false;
        if (checkpoint != null) {
            for (Map.Entry<String, Long> name : checkpoint.absorbed().entrySet()) {
                Seen seen = latest.get(name.getKey());
                SeenActivity activity = latestActivity.get(name.getKey());
                if (seen != null && seen.offset() <= name.getValue()
                        || activity != null && activity.offset() <= name.getValue()) {
                    absorbed.put(name.getKey(), name.getValue());
                } else {
                    changed = true;
                }
            }
        }
        Set<String> workers = new HashSet<>(latest.keySet());
        workers.addAll(latestActivity.keySet());
        for (String worker : workers) {
            Seen seen = latest.get(worker);
            SeenActivity activity = latestActivity.get(worker);
            boolean reportNew = seen != null && !absorbed(worker, seen.offset());
            boolean activityNew = activity != null && !absorbed(worker, activity.offset());
            long lastWritten = Math.max(seen == null ? Long.MIN_VALUE : seen.report().writtenAtMillis(),
                    activity == null ? Long.MIN_VALUE : activity.activity().writtenAtMillis());
            if ((reportNew || activityNew) && nowMillis - lastWritten >= departedAfterMillis) {
                if (reportNew) {
                    totals = totals.plus(seen.report().counters());
                }
                if (activityNew) {
                    activity.activity().counts().forEach((name, counts) ->
                            subscriptions.merge(name, counts, SubscriptionCounts::plus));
                }
                absorbed.put(worker, Math.max(seen == null ? 0 : seen.offset(),
                        activity == null ? 0 : activity.offset()));
                changed = true;
            }
        }
        return changed ? Optional.of(new StatsLog.Checkpoint(totals, absorbed, Math.max(0, nowMillis),
                subscriptions)) : Optional.empty();
    }

    /**
     * The group's counts per subscription: the checkpoint's plus each worker's latest activity it did not absorb.
     *
     * @return per subscription named by any of them
     */
    Map<String, SubscriptionCounts> subscriptionTotals() {
        Map<String, SubscriptionCounts> totals = new HashMap<>(checkpoint == null ? Map.of()
                : checkpoint.subscriptions());
        for (SeenActivity seen : latestActivity.values()) {
            if (!absorbed(seen.activity().worker(), seen.offset())) {
                seen.activity().counts().forEach((name, counts) -> totals.merge(name, counts, SubscriptionCounts::plus));
            }
        }
        return totals;
    }

    /**
     * The duration windows of the workers whose latest windows are less than {@code lapse} old (written after
     * {@code nowMillis}, by a clock ahead, count too).
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @param lapse     how long a worker's windows count unrenewed
     * @return per subscription, the encoded windows of those workers
     */
    Map<String, List<String>> liveWindows(long nowMillis, Duration lapse) {
        Map<String, List<String>> windows = new HashMap<>();
        for (Windows each : latestWindows.values()) {
            if (nowMillis - each.writtenAtMillis() < lapse.toMillis()) {
                each.bySubscription().forEach((name, window) ->
                        windows.computeIfAbsent(name, n -> new ArrayList<>()).add(window));
            }
        }
        return windows;
    }

    private boolean absorbed(String worker, long offset) {
        Long upTo = checkpoint == null ? null : checkpoint.absorbed().get(worker);
        return upTo != null && offset <= upTo;
    }
}
