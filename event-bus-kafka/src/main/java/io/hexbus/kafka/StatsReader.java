package io.hexbus.kafka;

import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a group's stats topic ({@link StatsTopic}) as it is at the call, folded into {@link WorkerReports.Totals}:
 * every partition from its beginning to its end offsets taken when the call starts, committed records only
 * ({@code read_committed}). Each call uses a consumer of its own, with no consumer group, closed before it returns.
 *
 * <p>Thread-safe. Blocks while it reads; fails with a {@link TransportTimeoutException} when the cluster stops
 * answering (no progress within the command timeout), with a {@link TransportUnavailableException} when it cannot
 * be used or the topic does not exist. A record that does not decode never fails a read: it is skipped and counted.
 */
final class StatsReader {

    private final TopicReader reader;

    /**
     * @param connection where the cluster is
     * @param settings   the topic and the command timeout
     */
    StatsReader(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.reader = new TopicReader(connection, settings, StatsTopic.name(settings), Map.of());
    }

    /**
     * Reads the whole topic and sums it.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @param staleness how old a report may be for its running and held counts to count; positive
     * @return the totals ({@link WorkerReports#totals})
     */
    WorkerReports.Totals read(long nowMillis, Duration staleness) {
        WorkerReports reports = new WorkerReports();
        reader.readToEnd(List.of(), record -> reports.add(record.key(), record.value()));
        return reports.totals(nowMillis, staleness);
    }

    /**
     * Reads the whole topic and folds the workers' subscription reports.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @return per subscription, the group's counts and the windows of the workers still reporting
     */
    List<SubscriptionStats> subscriptions(long nowMillis) {
        SubscriptionReports reports = new SubscriptionReports();
        reader.readToEnd(List.of(), record -> reports.add(record.key(), record.value(), record.timestamp()));
        return reports.stats(nowMillis);
    }
}
