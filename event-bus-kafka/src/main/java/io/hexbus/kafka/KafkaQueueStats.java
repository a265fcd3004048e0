package io.hexbus.kafka;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link QueueAdmin#stats()} on Kafka: a group's {@link QueueStats}, read from the cluster at the call.
 *
 * <ul>
 *   <li>{@code active} and {@code reserved}: the running and held counts of the workers' reports in the stats
 *       topic ({@link StatsTopic}) that are fresher than the staleness bound (the group's session timeout: a worker
 *       gone for longer has lost its partitions, and whatever it held is another's or waiting again). A report is a
 *       second or so old, so a handler reported running may have finished since. What a report counts as settling
 *       (a dead letter being written) is in neither.</li>
 *   <li>{@code waiting}: the group's lag on the events topic ({@link ConsumerLag}), less the records the fresh
 *       reports hold: a record handed to a worker is past the committed offset until it is settled, so the lag
 *       counts it, but it is no longer waiting (nor is one the reports count as settling: its dead letter may show
 *       already, its offset not committed yet). {@code retryScheduled}: the lag on the retry tiers that exist
 *       ({@link RetryTiers}), less what of the held records the events lag could not account for (a due retry
 *       handed to a worker). Both never below 0.</li>
 *   <li>{@code completed}, {@code failedAttempts}, {@code takeovers}, {@code unhandled}: the sums of the workers'
 *       cumulative counters, over every worker whose report the topic keeps, fresh or not. The reports are kept
 *       folded by the {@link StatsReader}, which reads only what was appended to the stats topic since its previous
 *       call (of either method).</li>
 *   <li>{@code deadLettered}: the dead letters in the dead-letter topic now, counted by reading it whole with the
 *       {@link DeadLetterReader} (as every dead-letter call does): not the workers' {@code deadLettered} counters,
 *       which retries and removals do not lower. It costs a read of the whole topic per call.</li>
 * </ul>
 *
 * <p>The reads are not one snapshot: an event moving on meanwhile may be counted twice or not at all, for that
 * call. Thread-safe; each call blocks, for at most a few command timeouts. A cluster that cannot be used fails it
 * with a {@link TransportUnavailableException} naming it, one that does not answer in time with a
 * {@link TransportTimeoutException}; so does a missing dead-letter or stats topic (connecting creates them).
 */
final class KafkaQueueStats implements AutoCloseable {

    private final Admin admin;
    private final StatsReader reports;
    private final DeadLetterReader deadLetters;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final Duration staleness;
    private final Clock clock;
    private final Runnable resources;

    /**
     * @param admin       reads offsets; the caller closes it (or passes it in {@code resources})
     * @param reports     reads the stats topic
     * @param deadLetters reads the dead-letter topic
     * @param settings    the topics, the group and the command timeout
     * @param servers     the cluster, for messages
     * @param staleness   how old a worker's report may be for its running and held counts to count: the group's
     *                    session timeout (not a setting of {@link KafkaQueueSettings} yet); positive
     * @param clock       tells a report's age
     * @param resources   closed by {@link #close()}
     * @throws IllegalArgumentException if {@code staleness} is not positive
     */
    KafkaQueueStats(Admin admin, StatsReader reports, DeadLetterReader deadLetters, KafkaQueueSettings settings,
                    String servers, Duration staleness, Clock clock, Runnable resources) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.staleness = Objects.requireNonNull(staleness, "staleness");
        if (staleness.isZero() || staleness.isNegative()) {
            throw new IllegalArgumentException("staleness must be positive, got " + staleness);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resources = Objects.requireNonNull(resources, "resources");
    }

    /**
     * Connects: starts an admin client (closed by {@link #close()}) and creates the stats topic when missing, or
     * checks it. The dead-letter topic is not created here ({@link KafkaDeadLetters#connect} does).
     *
     * @param connection     where the cluster is
     * @param settings       the topics, the group and the command timeout
     * @param sessionTimeout the group's session timeout: how long a worker's report counts for {@code active} and
     *                       {@code reserved}
     * @return the statistics; close when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws IllegalStateException         if the stats topic exists with another cleanup policy, naming it
     */
    static KafkaQueueStats connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                   Duration sessionTimeout) {
        String servers = connection.bootstrapServersConfig();
        Admin admin;
        try {
            admin = Admin.create(KafkaCalls.adminConfig(connection, settings));
        } catch (KafkaException e) {
            throw new TransportUnavailableException("cannot start an admin client for Kafka at " + servers + ": "
                    + e.getMessage(), e);
        }
        try {
            StatsTopic.ensure(admin, settings, servers);
        } catch (RuntimeException e) {
            admin.close(settings.commandTimeout());
            throw e;
        }
        return new KafkaQueueStats(admin, new StatsReader(connection, settings),
                new DeadLetterReader(connection, settings), settings, servers, sessionTimeout, Clock.systemUTC(),
                () -> admin.close(settings.commandTimeout()));
    }

    /**
     * As {@link QueueAdmin#stats()}.
     *
     * @return the group's statistics now
     */
    QueueStats stats() {
        // Dead letters before the counters: a worker's counters follow its dead-letter writes, so counters read
        // after them include at least what was dead-lettered then.
        long deadLettered = deadLetters.index(1, Long.MAX_VALUE).total();
        WorkerReports.Totals totals = reports.read(clock.millis(), staleness);
        List<String> topics = new ArrayList<>();
        topics.add(settings.eventsTopic());
        List<String> tiers = new ArrayList<>();
        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            tiers.add(tier.topic(settings.topicPrefix(), settings.group()));
        }
        topics.addAll(tiers);
        Map<String, Long> lag = ConsumerLag.byTopic(admin, settings.consumerGroupId(), topics, settings, servers);
        long eventsLag = lag.getOrDefault(settings.eventsTopic(), 0L);
        long retryLag = tiers.stream().mapToLong(t -> lag.getOrDefault(t, 0L)).sum();
        long held = sum(sum(totals.active(), totals.reserved()), totals.settling());
        long waiting = Math.max(0, eventsLag - held);
        long retryScheduled = Math.max(0, retryLag - Math.max(0, held - eventsLag));
        return new QueueStats(settings.group(), waiting, totals.active(), totals.reserved(), retryScheduled, 0,
                totals.completed(), deadLettered, totals.failedAttempts(), totals.takeovers(), totals.unhandled());
    }

    /**
     * As {@link QueueAdmin#subscriptionStats()}: the workers' subscription reports in the stats topic
     * ({@link SubscriptionReport}), folded by the {@link StatsReader} (what was appended since its previous call).
     *
     * @return per subscription, the group's counts and the windows of the workers that reported within
     *         {@link io.hexbus.engine.stats.SubscriptionActivity#LAPSE}, sorted by name
     */
    List<SubscriptionStats> subscriptionStats() {
        return reports.subscriptions(clock.millis());
    }

    private static long sum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** Closes what was given to close (the admin client of {@link #connect}), within the command timeout. */
    @Override
    public void close() {
        resources.run();
    }
}
