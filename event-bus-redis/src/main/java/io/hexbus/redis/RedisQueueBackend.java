package io.hexbus.redis;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.worker.BoundedLog;
import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One worker's view of the Redis queue of a consumer group: the engine's {@link QueueBackend} on Redis Streams.
 *
 * <ul>
 *   <li>A message is a stream entry, of the event stream or of the redelivery stream that a dead-letter retry
 *       writes to; its id is {@code <tag>|<entry id>} ({@link Keys#member}). Its lease is the entry being pending
 *       for this consumer; renewing it resets its idle time, and an entry idle past the visibility timeout is
 *       taken over ({@code reclaim-3.lua}).</li>
 *   <li>Progress is a hash per entry ({@link ProgressHash}); a rescheduled entry waits in the retry set, scored by
 *       its due time on the Redis clock, owned by the consumer {@link ConsumerNames#RETRY_WAITING}.</li>
 *   <li>Every write is a script that checks the entry is still pending for this consumer, and delivered as often
 *       as when this delivery was handed over (the delivery count is the lease's generation), before it writes.</li>
 *   <li>A Redis failure is thrown as a {@link RedisUnavailableException} (or a timeout); a consumer group found
 *       missing (Redis restarted without persistence) is recreated and the possible loss logged.</li>
 * </ul>
 *
 * <p>Thread-safe: the blocking read has a connection of its own; every other call goes over the transport's
 * shared connection.
 */
final class RedisQueueBackend implements QueueBackend {

    private static final Logger log = LoggerFactory.getLogger(RedisQueueBackend.class);
    private static final int CLEAN_BATCH = 1_000;
    // A message read with XREADGROUP ... > is on its first delivery; each claim raises the count (see owned-by.lua).
    private static final long FIRST_DELIVERY = 1;

    /**
     * How long a worker's last added report number is kept unrenewed: a failed report is sent again within seconds,
     * so a day covers even a worker paused that long, and the keys stay bounded by the workers started in a day.
     */
    private static final Duration REPORT_SEQUENCE_KEEP = Duration.ofDays(1);

    /** Delayed events released per poll: enough for thousands a second, small enough for one script's time. */
    private static final int RELEASE_BATCH = 1_000;

    private final StatefulRedisConnection<String, String> reader;
    private final RedisCommands<String, String> redis;
    private final ScriptRunner scripts;
    private final Keys keys;
    private final RedisQueueSettings settings;
    private final String consumer;
    private final RedisFailures failures;
    private final boolean ownsReader;
    private final BoundedLog problems = new BoundedLog(log, Duration.ofSeconds(30));
    // Makes each permit's member unique, with the consumer name, should two permits share a microsecond.
    private final AtomicLong permits = new AtomicLong();

    RedisQueueBackend(StatefulRedisConnection<String, String> reader, RedisCommands<String, String> redis,
                      ScriptRunner scripts, Keys keys, RedisQueueSettings settings, String consumer,
                      RedisFailures failures) {
        this(reader, redis, scripts, keys, settings, consumer, failures, true);
    }

    /**
     * @param ownsReader whether {@link #close()} closes the reading connection: false for all but one of the
     *                   backends of a {@link MultiQueueBackend}, which share it
     */
    RedisQueueBackend(StatefulRedisConnection<String, String> reader, RedisCommands<String, String> redis,
                      ScriptRunner scripts, Keys keys, RedisQueueSettings settings, String consumer,
                      RedisFailures failures, boolean ownsReader) {
        this.ownsReader = ownsReader;
        this.reader = reader;
        this.redis = redis;
        this.scripts = scripts;
        this.keys = keys;
        this.settings = settings;
        this.consumer = consumer;
        this.failures = failures;
    }

    @Override
    public void open() {
        failures.call("creating consumer group '" + settings.group() + "'", () -> {
            ensureGroup(keys.stream());
            ensureGroup(keys.redelivery());
            return null;
        });
    }

    @Override
    @SuppressWarnings("unchecked") // Lettuce's xreadgroup takes StreamOffset<K>... varargs; one offset is safe
    public List<Delivery> fetch(int max, Duration block) {
        List<StreamMessage<String, String>> messages = call("reading " + keys.stream(), () ->
                reader.sync().xreadgroup(Consumer.from(settings.group(), consumer),
                        XReadArgs.Builder.block(block).count(max), XReadArgs.StreamOffset.lastConsumed(keys.stream())));
        List<Delivery> read = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            read.add(delivery(Keys.MAIN, message.getId(), message.getBody(), Map.of(), -1, FIRST_DELIVERY));
        }
        return read;
    }

    /**
     * The blocking read of {@link #fetch(int, Duration)}, with the entries handed to {@code arrived} on Lettuce's I/O
     * thread as it completes the read, so the worker's job thread starts without the fetching thread waking first.
     * Failures, the timeout included, are those of the synchronous read (Lettuce's own wait).
     */
    @Override
    @SuppressWarnings("unchecked") // as in fetch
    public List<Delivery> fetch(int max, Duration block, java.util.function.Consumer<List<Delivery>> arrived) {
        return call("reading " + keys.stream(), () -> {
            RedisFuture<List<StreamMessage<String, String>>> command = reader.async().xreadgroup(
                    Consumer.from(settings.group(), consumer), XReadArgs.Builder.block(block).count(max),
                    XReadArgs.StreamOffset.lastConsumed(keys.stream()));
            CompletableFuture<List<Delivery>> read = command.toCompletableFuture().thenApply(messages -> {
                List<Delivery> deliveries = firstDeliveries(messages);
                if (!deliveries.isEmpty()) {
                    arrived.accept(deliveries);
                }
                return deliveries;
            });
            LettuceFutures.awaitOrCancel(command, reader.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
            try {
                return read.join(); // the read completed: this only waits for arrived, if it is still running
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        });
    }

    private static List<Delivery> firstDeliveries(List<StreamMessage<String, String>> messages) {
        List<Delivery> read = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            read.add(delivery(Keys.MAIN, message.getId(), message.getBody(), Map.of(), -1, FIRST_DELIVERY));
        }
        return read;
    }

    /**
     * Reads new entries of this queue's stream without waiting: a {@link MultiQueueBackend} tries its queues so, in
     * priority order, before it waits on all of them.
     *
     * @param max at most this many
     * @return the entries read, leased to this worker; empty when there were none
     */
    @SuppressWarnings("unchecked") // as in fetch
    List<Delivery> fetchNow(int max) {
        List<StreamMessage<String, String>> messages = call("reading " + keys.stream(), () ->
                reader.sync().xreadgroup(Consumer.from(settings.group(), consumer), XReadArgs.Builder.count(max),
                        XReadArgs.StreamOffset.lastConsumed(keys.stream())));
        List<Delivery> read = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            read.add(delivery(Keys.MAIN, message.getId(), message.getBody(), Map.of(), -1, FIRST_DELIVERY));
        }
        return read;
    }

    /**
     * @return where a wait for new entries of this queue's stream starts: the id of the last entry the group was
     *         handed, so that an entry added since the last read wakes the wait at once; {@code "$"} if the group is
     *         not there (it is recreated by the next read)
     */
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String> unreadOffset() {
        List<Object> groups = call("reading the group of " + keys.stream(), () -> redis.xinfoGroups(keys.stream()));
        for (Object group : groups) {
            List<Object> info = (List<Object>) group;
            for (int i = 0; i + 1 < info.size(); i += 2) {
                if ("name".equals(String.valueOf(info.get(i))) && !settings.group().equals(String.valueOf(info.get(i + 1)))) {
                    break;
                }
                if ("last-delivered-id".equals(String.valueOf(info.get(i)))) {
                    return XReadArgs.StreamOffset.from(keys.stream(), String.valueOf(info.get(i + 1)));
                }
            }
        }
        return XReadArgs.StreamOffset.latest(keys.stream());
    }

    @Override
    public List<Delivery> claimDue(int max) {
        List<Delivery> found = new ArrayList<>(parse(call("claiming due retries", () -> scripts.run(Script.CLAIM_DUE,
                new String[] {keys.retrySet(), keys.stream(), keys.redelivery()}, settings.group(), consumer,
                Integer.toString(max), keys.progressPrefix())), true));
        if (found.size() < max) {
            try {
                found.addAll(readRedeliveries(max - found.size()));
            } catch (RuntimeException e) {
                if (found.isEmpty()) {
                    throw e;
                }
                // The claimed retries are leased to this worker now: hand them over; the redeliveries wait a poll.
                problems.warn("Worker {} cannot read dead-letter retries: {}", consumer, e.getMessage());
            }
        }
        return found;
    }

    /**
     * Appends the delayed events that are due (on the Redis clock) to the stream, where any worker reads them as
     * it reads an immediate publish. Every worker does it on its poll, whatever room it has (no longer inside
     * {@link #claimDue}, which the engine skips while every slot is busy); the script is atomic, so workers racing
     * release each event once. A failure is logged, not thrown: it only delays the release to the next poll, and a
     * worker over several queues still releases the others.
     */
    @Override
    public void releaseDue() {
        try {
            call("releasing due delayed events", () -> scripts.run(Script.RELEASE_DUE,
                    new String[] {keys.scheduled(), keys.scheduledEnvelopes(), keys.stream()},
                    Integer.toString(RELEASE_BATCH), keys.dedupePrefix()));
        } catch (RuntimeException e) {
            problems.warn("Worker {} cannot release due delayed events: {}", consumer, e.getMessage());
        }
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        List<Delivery> found = new ArrayList<>();
        for (String tag : List.of(Keys.MAIN, Keys.REDELIVERY)) {
            if (found.size() < max) {
                List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                        Long.toString(settings.visibilityTimeout().toMillis()), Integer.toString(max - found.size()),
                        tag, keys.progressPrefix(), ConsumerNames.RETRY_WAITING,
                        Long.toString(forgetConsumersAfter().toMillis())));
                args.addAll(held);
                found.addAll(parse(call("taking over abandoned entries", () -> scripts.run(Script.RECLAIM,
                        new String[] {keys.streamOf(tag), keys.retrySet(), keys.groupStats()},
                        args.toArray(String[]::new))), false));
            }
        }
        return found;
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        Map<String, List<String>> byTag = new HashMap<>();
        held.forEach(member -> byTag.computeIfAbsent(Keys.tagOf(member), t -> new ArrayList<>())
                .add(Keys.entryIdOf(member)));
        Set<String> lost = new HashSet<>();
        byTag.forEach((tag, ids) -> {
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer, ConsumerNames.RETRY_WAITING));
            args.addAll(ids);
            List<Object> renewed = call("renewing leases", () -> scripts.run(Script.RENEW,
                    new String[] {keys.streamOf(tag)}, args.toArray(String[]::new)));
            for (int i = 0; i < renewed.size(); i++) {
                // -1 is an entry settled since it was listed (acknowledged, dead-lettered or rescheduled): not lost.
                if (Long.valueOf(0).equals(renewed.get(i))) {
                    lost.add(Keys.member(tag, ids.get(i)));
                }
            }
        });
        return lost;
    }

    /** One fenced script call per stream and counter for the whole batch. */
    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        Map<String, List<Delivery>> groups = new LinkedHashMap<>();
        for (Acknowledgement a : done) {
            String counter = a.kind() == Acknowledgement.Kind.COMPLETED ? "completed" : "unhandled";
            groups.computeIfAbsent(Keys.tagOf(a.delivery().id()) + " " + counter, k -> new ArrayList<>())
                    .add(a.delivery());
        }
        Set<String> lost = new HashSet<>();
        groups.forEach((group, deliveries) -> {
            String tag = group.substring(0, group.indexOf(' '));
            String counter = group.substring(group.indexOf(' ') + 1);
            String lowest = null;
            String highest = null;
            List<String> entries = new ArrayList<>(deliveries.size());
            for (Delivery d : deliveries) {
                String id = Keys.entryIdOf(d.id());
                lowest = lowest == null || StreamIds.compare(id, lowest) < 0 ? id : lowest;
                highest = highest == null || StreamIds.compare(id, highest) > 0 ? id : highest;
                // Only an entry that failed or was taken over before has a progress hash to delete.
                entries.add((d.hasProgress() ? "+" : "-") + id);
                entries.add(Long.toString(d.lease()));
            }
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                    keys.progressPrefix() + tag + "|", counter, lowest, highest));
            args.addAll(entries);
            List<Object> acked = call("acknowledging", () -> scripts.run(Script.COMPLETE,
                    new String[] {keys.streamOf(tag), keys.groupStats()}, args.toArray(String[]::new)));
            for (int i = 0; i < deliveries.size(); i++) {
                // 0: held by another worker or delivery; -1: settled already, mostly by a worker that took it over
                // (after an earlier try of this batch whose answer was lost too, which this cannot tell apart).
                if (!Long.valueOf(1).equals(acked.get(i))) {
                    lost.add(deliveries.get(i).id());
                }
            }
        });
        return lost;
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts) {
        String tag = Keys.tagOf(delivery.id());
        String entryId = Keys.entryIdOf(delivery.id());
        List<String> args = new ArrayList<>(List.of(settings.group(), consumer, entryId, delivery.id(),
                Long.toString(delayMillis), Long.toString(settings.dedupeWindow().toMillis()),
                Integer.toString(failedAttempts), ConsumerNames.RETRY_WAITING, Long.toString(delivery.lease())));
        ProgressHash.fields(update).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long recorded = call("rescheduling " + delivery.id(), () -> scripts.run(Script.RESCHEDULE,
                new String[] {keys.streamOf(tag), keys.progress(tag, entryId), keys.retrySet(), keys.groupStats()},
                args.toArray(String[]::new)));
        return recorded == 1L ? Fenced.WRITTEN : Fenced.LEASE_LOST;
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        String tag = Keys.tagOf(delivery.id());
        String entryId = Keys.entryIdOf(delivery.id());
        String id = record.eventId().toString();
        Long moved = call("dead-lettering " + delivery.id(), () -> scripts.run(Script.DEAD_LETTER,
                new String[] {keys.streamOf(tag), keys.progress(tag, entryId), keys.deadLetter(id),
                        keys.deadLetterIndex(), keys.groupStats(), keys.retrySet()},
                settings.group(), consumer, entryId, delivery.id(), id,
                Long.toString(settings.deadLetterRetention().toMillis()), Integer.toString(record.failedAttempts()),
                Long.toString(delivery.lease()), "eventId", id, "name", record.eventName(), "subscriptions", String.join("\n", record.subscriptions()),
                "attempts", Integer.toString(record.attempts()), "error", record.error(),
                "envelope", record.envelope(), "entryId", delivery.id()));
        return moved == 1L ? Fenced.WRITTEN : Fenced.LEASE_LOST;
    }

    @Override
    public boolean supportsRateLimits() {
        return true;
    }

    /** An exact sliding window on the Redis clock, per group and subscription: {@code acquire-permit-1.lua}. */
    @Override
    public long acquirePermit(String subscription, RateLimit limit) {
        Long wait = call("taking a rate-limit permit for " + subscription, () -> scripts.run(Script.ACQUIRE_PERMIT,
                new String[] {keys.ratePermits(subscription)}, Integer.toString(limit.runs()),
                Long.toString(limit.per().toNanos() / 1_000), consumer + "|" + permits.incrementAndGet()));
        return wait;
    }

    @Override
    public String brokerName() {
        return "Redis";
    }

    @Override
    public void reportRunning(int running) {
        call("reporting running handlers", () -> scripts.run(Script.REPORT_ACTIVE,
                new String[] {keys.activeHandlers()}, consumer, Integer.toString(running),
                Long.toString(settings.visibilityTimeout().toMillis())));
    }

    /**
     * Adds the counts to the group's totals, unless this worker's report of that {@link SubscriptionActivity#sequence()
     * number} was added already (a re-sent report whose first call ran), and replaces this worker's windows, in one
     * script ({@code report-activity-4.lua}), so a report is stored whole or not at all. Stored under the bus's prefix
     * ({@link Keys#subscriptionCounts()}), whatever this backend's queue.
     */
    @Override
    public void reportActivity(SubscriptionActivity activity) {
        List<String> args = new ArrayList<>(List.of(consumer, Long.toString(SubscriptionActivity.LAPSE.toMillis()),
                Long.toString(activity.sequence()), Long.toString(REPORT_SEQUENCE_KEEP.toMillis()),
                SubscriptionActivityHash.windowsArg(activity.windows())));
        args.addAll(SubscriptionActivityHash.countArgs(activity.counts()));
        call("reporting subscription activity", () -> scripts.run(Script.REPORT_ACTIVITY,
                new String[] {keys.subscriptionCounts(), keys.subscriptionWindows(), keys.subscriptionDeadlines(),
                        keys.reportSequence(consumer)}, args.toArray(String[]::new)));
    }

    @Override
    public void housekeeping() {
        String keepCount = Integer.toString(settings.keepFinishedCount());
        String keepAge = Long.toString(settings.keepFinishedAge().toMillis());
        call("trimming", () -> {
            scripts.run(Script.TRIM, new String[] {keys.stream()}, keepCount, keepAge);
            scripts.run(Script.TRIM, new String[] {keys.redelivery()}, keepCount, keepAge);
            return scripts.run(Script.CLEAN_DEAD_LETTERS, new String[] {keys.deadLetterIndex(), keys.groupStats()},
                    Long.toString(settings.deadLetterRetention().toMillis()), keys.deadLetterPrefix(),
                    Integer.toString(CLEAN_BATCH));
        });
    }

    @Override
    public void close() {
        if (ownsReader) {
            reader.close();
        }
    }

    @SuppressWarnings("unchecked") // as in fetch: one StreamOffset through Lettuce's generic varargs
    private List<Delivery> readRedeliveries(int count) {
        List<StreamMessage<String, String>> messages = call("reading " + keys.redelivery(), () ->
                redis.xreadgroup(Consumer.from(settings.group(), consumer), XReadArgs.Builder.count(count),
                        XReadArgs.StreamOffset.lastConsumed(keys.redelivery())));
        List<Delivery> deliveries = new ArrayList<>();
        for (StreamMessage<String, String> message : messages) {
            deliveries.add(delivery(Keys.REDELIVERY, message.getId(), message.getBody(), Map.of(), -1,
                    FIRST_DELIVERY));
        }
        return deliveries;
    }

    /** A stream entry as the engine sees it: fields {@code n} name, {@code i} id, {@code e} envelope, {@code s}. */
    private static Delivery delivery(String tag, String entryId, Map<String, String> fields,
                                     Map<String, String> progress, long redisNow, long deliveries) {
        String only = fields.get("s");
        return new Delivery(Keys.member(tag, entryId), fields.get("n"), fields.get("i"), fields.get("e"),
                only == null ? Set.of() : new HashSet<>(Arrays.asList(only.split("\n"))), ProgressHash.read(progress),
                redisNow, StreamIds.millis(entryId), deliveries);
    }

    @SuppressWarnings("unchecked")
    private static List<Delivery> parse(List<Object> items, boolean withRedisNow) {
        List<Delivery> deliveries = new ArrayList<>();
        for (Object item : items) {
            List<Object> parts = (List<Object>) item;
            long now = withRedisNow ? ((Long) parts.get(4)) : -1;
            long count = (Long) parts.get(withRedisNow ? 5 : 4);
            deliveries.add(delivery((String) parts.get(0), (String) parts.get(1), pairs((List<Object>) parts.get(2)),
                    pairs((List<Object>) parts.get(3)), now, count));
        }
        return deliveries;
    }

    private static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    /**
     * Runs a command, translating its failure; a consumer group found missing is recreated first, and the call
     * fails as unavailable, to be tried again.
     */
    <T> T call(String what, Supplier<T> command) {
        return failures.call(what, () -> {
            try {
                return command.get();
            } catch (RedisCommandExecutionException e) {
                if (isNoGroup(e)) {
                    recreateGroup(keys.stream());
                    recreateGroup(keys.redelivery());
                }
                throw e;
            }
        });
    }

    /** @return true if this call created the group, false if it existed */
    private boolean ensureGroup(String stream) {
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), settings.group(),
                    XGroupCreateArgs.Builder.mkstream());
            return true;
        } catch (RedisBusyException e) {
            if (!isGroupExists(e)) {
                throw e; // "BUSY Redis is busy running a script": the group may not exist at all
            }
            return false; // BUSYGROUP: another worker created it first.
        }
    }

    /** Lettuce raises one exception class for every reply starting with "BUSY"; only BUSYGROUP means it exists. */
    static boolean isGroupExists(RedisException e) {
        return e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP");
    }

    private void recreateGroup(String stream) {
        try {
            if (ensureGroup(stream)) {
                log.error("Consumer group '{}' of {} was missing (Redis restarted without persistence, or the key"
                        + " was evicted or deleted) and was recreated from the start of the stream: events published"
                        + " before the loss may be gone", settings.group(), stream);
            }
        } catch (RedisException e) {
            problems.warn("Worker {} cannot recreate consumer group '{}' of {}: {}", consumer, settings.group(),
                    stream, RedisTransport.rootMessage(e));
        }
    }

    private static boolean isNoGroup(RedisException e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    /**
     * How long a consumer that holds nothing may go unseen before the takeover scan deletes it: far longer than
     * a live worker ever goes without reading, and deleting one loses nothing anyway (a read recreates it).
     */
    private Duration forgetConsumersAfter() {
        Duration liveBound = settings.blockTimeout().plus(settings.visibilityTimeout()).multipliedBy(2);
        return liveBound.compareTo(Duration.ofHours(1)) > 0 ? liveBound : Duration.ofHours(1);
    }
}
