package io.hexbus.kafka;

import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A group's stats topic ({@link StatsTopic}) folded incrementally, for {@link KafkaQueueStats}: the first call reads
 * every partition from its beginning, each later call only what was appended since the previous one ended, up to the
 * end offsets taken when it starts, committed records only ({@code read_committed}). One fold serves both the
 * workers' reports ({@link WorkerReports}) and their subscription reports ({@link SubscriptionReports}), so it
 * gives the totals a whole read would. It starts again from the beginning when records it has not read are gone
 * (a position before the partition's first offset or past its end: the topic was deleted by hand or recreated),
 * after a read that failed part way, and when the fold is older than {@link #REFOLD}: a tombstone is kept only
 * {@code delete.retention.ms} (a day by default) after compaction, so an admin idle for longer could miss one.
 * Each read uses a consumer of its own, with no consumer group, closed before it returns.
 *
 * <p>Thread-safe: calls take turns on the fold. Blocks while it reads; fails with a {@link TransportTimeoutException}
 * when the cluster stops answering (no progress within the command timeout), with a
 * {@link TransportUnavailableException} when it cannot be used or the topic does not exist. A record that does not
 * decode never fails a read: it is skipped and counted.
 */
final class StatsReader {

    /** How long a fold is kept before it is read again whole: well within Kafka's default tombstone retention. */
    static final Duration REFOLD = Duration.ofHours(1);

    private final TopicReader reader;
    private Map<Integer, Long> positions = Map.of();
    private WorkerReports workers = new WorkerReports();
    private SubscriptionReports subscriptions = new SubscriptionReports();
    private long foldedSinceMillis = Long.MIN_VALUE;

    /**
     * @param connection where the cluster is
     * @param settings   the topic and the command timeout
     */
    StatsReader(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.reader = new TopicReader(connection, settings, StatsTopic.name(settings), Map.of());
    }

    /**
     * Reads what was appended since the previous call and sums the workers' reports.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @param staleness how old a report may be for its running and held counts to count; positive
     * @return the totals ({@link WorkerReports#totals})
     */
    synchronized WorkerReports.Totals read(long nowMillis, Duration staleness) {
        catchUp(nowMillis);
        return workers.totals(nowMillis, staleness);
    }

    /**
     * Reads what was appended since the previous call and folds the workers' subscription reports.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @return per subscription, the group's counts and the windows of the workers still reporting
     */
    synchronized List<SubscriptionStats> subscriptions(long nowMillis) {
        catchUp(nowMillis);
        return subscriptions.stats(nowMillis);
    }

    private void catchUp(long nowMillis) {
        if (foldedSinceMillis == Long.MIN_VALUE || nowMillis - foldedSinceMillis >= REFOLD.toMillis()
                || nowMillis < foldedSinceMillis) {
            restart(nowMillis);
        }
        try {
            Optional<Map<Integer, Long>> reached = readFrom(positions);
            if (reached.isEmpty()) {
                restart(nowMillis);
                reached = readFrom(positions);
            }
            positions = reached.orElseThrow(() -> new IllegalStateException("a read from the beginning was refused"));
        } catch (RuntimeException e) {
            // Records folded before the failure would be folded again (and undecodable ones counted twice).
            foldedSinceMillis = Long.MIN_VALUE;
            throw e;
        }
    }

    private Optional<Map<Integer, Long>> readFrom(Map<Integer, Long> from) {
        return reader.readFrom(from, record -> {
            workers.add(record.key(), record.value());
            subscriptions.add(record.key(), record.value(), record.timestamp());
        });
    }

    private void restart(long nowMillis) {
        positions = Map.of();
        workers = new WorkerReports();
        subscriptions = new SubscriptionReports();
        foldedSinceMillis = nowMillis;
    }
}
