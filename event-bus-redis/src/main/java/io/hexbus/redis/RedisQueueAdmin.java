package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;
import io.hexbus.engine.stats.SubscriptionStatsFold;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.hexbus.api.transport.TransportTimeoutException;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Statistics and dead-letter operations of one consumer group on Redis, over all its named queues or one of them;
 * obtained from {@link RedisTransport#admin()} or {@link RedisTransport#admin(String)}. A retried dead letter goes
 * through the group's redelivery stream of the queue it was dead-lettered from, so only this group, and only the
 * subscriptions that failed, see it again. Over several queues, the statistics are the sums of the queues', the dead
 * letters are listed merged, newest first, and a retry or removal finds the queue that holds the event. Thread-safe.
 *
 * <p>A Redis that cannot be used, or a closed transport, fails a call with a {@link RedisUnavailableException}; a
 * command that does not answer within {@link RedisQueueSettings#commandTimeout()} with a
 * {@link TransportTimeoutException}.
 */
public final class RedisQueueAdmin implements QueueAdmin {

    private static final int BATCH = 1_000; // dead letters per script call when retrying or cleaning many
    private static final int UNREAD_COUNT_BOUND = 100_000;
    private static final int RETRY_ALL_KEEP_MINUTES = 10;

    private final RedisCommands<String, String> redis;
    private final ScriptRunner scripts;
    private final Supplier<List<Keys>> queues;
    private final RedisQueueSettings settings;
    private final RedisFailures failures;
    private final Function<String, List<String>> subscriptionsOf;

    /**
     * @param subscriptionsOf the application's subscription names of an event name, for {@link #eventProgress}
     */
    RedisQueueAdmin(RedisCommands<String, String> redis, ScriptRunner scripts, Keys keys, RedisQueueSettings settings,
                    RedisFailures failures, Function<String, List<String>> subscriptionsOf) {
        this(redis, scripts, () -> List.of(keys), settings, failures, subscriptionsOf);
    }

    /**
     * @param queues          the keys of its queues, asked at every call (from within the call's failure handling),
     *                        since other applications may register queues on the bus meanwhile
     * @param subscriptionsOf the application's subscription names of an event name, for {@link #eventProgress}
     */
    RedisQueueAdmin(RedisCommands<String, String> redis, ScriptRunner scripts, Supplier<List<Keys>> queues,
                    RedisQueueSettings settings, RedisFailures failures,
                    Function<String, List<String>> subscriptionsOf) {
        this.subscriptionsOf = subscriptionsOf;
        this.failures = failures;
        this.redis = redis;
        this.scripts = scripts;
        this.queues = queues;
        this.settings = settings;
    }

    @Override
    public QueueStats stats() {
        return guard(() -> {
            QueueStats sum = null;
            for (Keys keys : queues.get()) {
                QueueStats one = stats(keys);
                sum = sum == null ? one : new QueueStats(one.group(), sum.waiting() + one.waiting(),
                        sum.active() + one.active(), sum.reserved() + one.reserved(),
                        sum.retryScheduled() + one.retryScheduled(), sum.scheduled() + one.scheduled(),
                        sum.completed() + one.completed(),
                        sum.deadLettered() + one.deadLettered(), sum.failedAttempts() + one.failedAttempts(),
                        sum.takeovers() + one.takeovers(), sum.unhandled() + one.unhandled());
            }
            return sum;
        });
    }

    private QueueStats stats(Keys keys) {
        // The reads are not one snapshot, so their order matters. The dead letters before the counters: a dead
        // letter and its failed attempts are written by one script, so counters read after it include them.
        // Totals before what is still open: an entry counted as finished can then no longer show as open (the
        // other way round it could, for a moment).
        long deadLettered = redis.zcard(keys.deadLetterIndex());
        Map<String, String> counters = redis.hgetall(keys.groupStats());
        long retryScheduled = redis.zcard(keys.retrySet());
        long scheduled = redis.zcard(keys.scheduled());
        long running = runningHandlers(keys);
        GroupInfo main = groupInfo(keys.stream());
        GroupInfo redelivery = groupInfo(keys.redelivery());
        long held = Math.max(0, main.pending() + redelivery.pending() - retryScheduled);
        // The workers' reports may be a second old: a handler reported running may have finished since.
        long active = Math.min(running, held);
        return new QueueStats(settings.group(), main.lag() + redelivery.lag(), active, held - active,
                retryScheduled, scheduled, counter(counters, "completed"), deadLettered, counter(counters, "failedAttempts"),
                counter(counters, "takeovers"), counter(counters, "unhandled"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The group's, whatever queue this admin covers: workers store their reports under the bus's prefix. Two
     * reads (the totals, then the live windows with Redis's time); nothing is scanned.
     */
    @Override
    public List<SubscriptionStats> subscriptionStats() {
        return guard(() -> {
            Keys keys = queues.get().get(0);
            Map<String, SubscriptionCounts> totals = SubscriptionActivityHash.totals(
                    redis.hgetall(keys.subscriptionCounts()));
            Map<String, String> reports = redis.hgetall(keys.subscriptionWindows());
            Map<String, List<DurationWindow>> windows = reports.isEmpty() ? Map.of()
                    : SubscriptionActivityHash.liveWindows(reports.values(), redisNow());
            return SubscriptionStatsFold.fold(totals, windows, SubscriptionActivity.WINDOW);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script per queue, until one knows the event ({@code event-progress-7.lua}): its dead letter, the
     * redelivery of a retried one, or the stream entry its dedupe record names, pending or not, with its progress
     * hash; a delayed event not yet due is waiting. Known while its dead letter is kept, or while both its dedupe
     * record ({@link RedisQueueSettings#dedupeWindow()}) and its stream entry (trimmed once finished, past
     * {@link RedisQueueSettings#keepFinishedAge()} or {@link RedisQueueSettings#keepFinishedCount()}) are.
     */
    @Override
    public Optional<EventProgress> eventProgress(UUID eventId) {
        String id = eventId.toString();
        return guard(() -> {
            for (Keys keys : queues.get()) {
                List<Object> reply = scripts.run(Script.EVENT_PROGRESS, new String[] {keys.dedupe(id), keys.stream(),
                        keys.scheduled(), keys.scheduledEnvelopes(), keys.deadLetter(id), keys.redelivery(),
                        keys.redelivered(id)}, settings.group(), keys.progressPrefix(), id);
                Optional<EventProgress> found = EventProgressReply.read(eventId, reply, subscriptionsOf);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.<EventProgress>empty();
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Per queue a {@code ZREVRANGE} of the index (over one queue, the page's ids only) and a {@code ZCARD}, then
     * one {@code HGETALL} per dead letter of the page. The filtered calls keep {@link QueueAdmin}'s defaults, which
     * page through this: each dead letter is read once.
     */
    @Override
    public DeadLetterPage deadLetters(int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        return guard(() -> {
            // One queue: the page's own range of the index, so paging to the end reads each id once. Several: each
            // queue's newest offset + limit, merged by the time they failed, since the page is among them.
            List<Keys> all = queues.get();
            int from = all.size() == 1 ? offset : 0;
            List<Indexed> merged = new ArrayList<>();
            long total = 0;
            for (Keys keys : all) {
                for (ScoredValue<String> id : redis.zrevrangeWithScores(keys.deadLetterIndex(), from,
                        offset + limit - 1L)) {
                    merged.add(new Indexed(keys, id.getValue(), id.getScore()));
                }
                total += redis.zcard(keys.deadLetterIndex());
            }
            merged.sort(Comparator.comparingDouble(Indexed::score).reversed());
            int skip = offset - from;
            List<DeadLetter> items = new ArrayList<>();
            for (Indexed indexed : merged.subList(Math.min(skip, merged.size()),
                    Math.min(skip + limit, merged.size()))) {
                read(indexed.keys(), indexed.id()).ifPresent(items::add);
            }
            return new DeadLetterPage(items, offset, total);
        });
    }

    private record Indexed(Keys keys, String id, double score) {
    }

    @Override
    public Optional<DeadLetter> deadLetter(UUID eventId) {
        return guard(() -> {
            for (Keys keys : queues.get()) {
                Optional<DeadLetter> found = read(keys, eventId.toString());
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.<DeadLetter>empty();
        });
    }

    @Override
    public boolean retry(UUID eventId) {
        String id = eventId.toString();
        return guard(() -> queues.get().stream().anyMatch(keys -> scripts.run(Script.RETRY_DEAD_LETTER,
                new String[] {keys.deadLetter(id), keys.deadLetterIndex(), keys.redelivery(), keys.groupStats()},
                id, keys.redelivered(id), pointerKeep()) != null));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The run works on a copy of the dead-letter index taken as it starts, oldest first, in pages of 1,000
     * ids, each page one script. The index itself cannot serve as the cursor: a redelivery that fails again
     * while the run goes on is indexed anew and would be retried twice. The copy is a key of its own that
     * expires ten minutes after the last page, should the caller die mid-run.
     */
    @Override
    public int retryAll() {
        return guard(() -> {
            int retried = 0;
            for (Keys keys : queues.get()) {
                retried += retryAll(keys);
            }
            return retried;
        });
    }

    private int retryAll(Keys keys) {
        String run = keys.deadLetterRetryRun(UUID.randomUUID().toString());
        String keep = Long.toString(Duration.ofMinutes(RETRY_ALL_KEEP_MINUTES).toMillis());
        long left = scripts.<Long>run(Script.SNAPSHOT_DEAD_LETTERS, new String[] {keys.deadLetterIndex(), run},
                keep);
        int retried = 0;
        while (left > 0) {
            List<Long> page = scripts.run(Script.RETRY_DEAD_LETTERS, new String[] {run, keys.deadLetterIndex(),
                    keys.redelivery(), keys.groupStats()}, keys.deadLetterPrefix(), Integer.toString(BATCH), keep,
                    keys.redeliveredPrefix(), pointerKeep());
            retried += page.get(0).intValue();
            left = page.get(1);
        }
        return retried;
    }

    @Override
    public boolean remove(UUID eventId) {
        String id = eventId.toString();
        return guard(() -> queues.get().stream().anyMatch(keys -> scripts.<Long>run(Script.REMOVE_DEAD_LETTER,
                new String[] {keys.deadLetter(id), keys.deadLetterIndex(), keys.groupStats()}, id) == 1L));
    }

    @Override
    public int cleanDeadLetters(Duration age) {
        QueueAdmin.checkCleanAge(age);
        return guard(() -> {
            int cleaned = 0;
            for (Keys keys : queues.get()) {
                cleaned += clean(keys, age);
            }
            return cleaned;
        });
    }

    private int clean(Keys keys, Duration age) {
        int cleaned = 0;
        long batch;
        do {
            batch = scripts.<Long>run(Script.CLEAN_DEAD_LETTERS, new String[] {keys.deadLetterIndex(),
                    keys.groupStats()}, Long.toString(age.toMillis()), keys.deadLetterPrefix(),
                    Integer.toString(BATCH));
            cleaned += (int) batch;
        } while (batch == BATCH);
        return cleaned;
    }

    private Optional<DeadLetter> read(Keys keys, String eventId) {
        Map<String, String> fields = redis.hgetall(keys.deadLetter(eventId));
        if (fields.isEmpty()) {
            redis.zrem(keys.deadLetterIndex(), eventId); // expired by its retention: drop the stale index entry
            return Optional.empty();
        }
        String subscriptions = fields.getOrDefault("subscriptions", "");
        return Optional.of(new DeadLetter(UUID.fromString(fields.get("eventId")), fields.getOrDefault("name", "?"),
                subscriptions.isEmpty() ? List.of() : Arrays.asList(subscriptions.split("\n")),
                Integer.parseInt(fields.getOrDefault("attempts", "0")), fields.getOrDefault("error", ""),
                Instant.ofEpochMilli(Long.parseLong(fields.get("firstFailedAt"))),
                Instant.ofEpochMilli(Long.parseLong(fields.get("lastFailedAt"))), fields.getOrDefault("envelope", "")));
    }

    /** How long a retried dead letter's redelivery pointer is kept: as long as a dedupe record. */
    private String pointerKeep() {
        return Long.toString(settings.dedupeWindow().toMillis());
    }

    /** The running handlers the group's workers reported, counting only reports still valid by Redis's clock. */
    private long runningHandlers(Keys keys) {
        Map<String, String> reports = redis.hgetall(keys.activeHandlers());
        if (reports.isEmpty()) {
            return 0;
        }
        return liveCount(reports.values(), redisNow());
    }

    /** Redis's clock, in ms: the workers' reports are valid until a time on it. */
    private long redisNow() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }

    /**
     * @param reports   each worker's "&lt;count&gt; &lt;valid until, Redis ms&gt;" (report-active-1.lua)
     * @param redisNow  Redis's time, in ms
     * @return the sum of the counts still valid; a malformed report counts as none
     */
    static long liveCount(java.util.Collection<String> reports, long redisNow) {
        long sum = 0;
        for (String report : reports) {
            String[] parts = report.split(" ");
            try {
                if (parts.length == 2 && Long.parseLong(parts[1]) > redisNow) {
                    sum += Math.max(0, Long.parseLong(parts[0]));
                }
            } catch (NumberFormatException malformed) {
                // not written by report-active-1.lua: ignored
            }
        }
        return sum;
    }

    private record GroupInfo(long lag, long pending) {
    }

    @SuppressWarnings("unchecked")
    private GroupInfo groupInfo(String stream) {
        if (redis.exists(stream) == 0) {
            return new GroupInfo(0, 0);
        }
        for (Object group : redis.xinfoGroups(stream)) {
            List<Object> info = (List<Object>) group;
            Map<String, Object> fields = new java.util.HashMap<>();
            for (int i = 0; i + 1 < info.size(); i += 2) {
                fields.put(String.valueOf(info.get(i)), info.get(i + 1));
            }
            if (settings.group().equals(fields.get("name"))) {
                long pending = ((Number) fields.getOrDefault("pending", 0L)).longValue();
                Object lag = fields.get("lag");
                return new GroupInfo(lag instanceof Number n ? n.longValue() : unreadCount(stream, fields), pending);
            }
        }
        return new GroupInfo(redis.xlen(stream), 0);
    }

    // Redis cannot tell the lag after some deletions; count what lies after the group's last read instead,
    // up to a bound that keeps this call cheap.
    private long unreadCount(String stream, Map<String, Object> group) {
        String last = String.valueOf(group.get("last-delivered-id"));
        return redis.xrange(stream, Range.from(Range.Boundary.excluding(last), Range.Boundary.unbounded()),
                Limit.from(UNREAD_COUNT_BOUND)).size();
    }

    private static long counter(Map<String, String> counters, String name) {
        return Long.parseLong(counters.getOrDefault(name, "0"));
    }

    private <T> T guard(java.util.function.Supplier<T> call) {
        return failures.call("queue admin of group '" + settings.group() + "'", call);
    }
}
