package io.hexbus.redis;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One worker's view of several named queues: one {@link RedisQueueBackend} per queue, behind one
 * {@link QueueBackend}. A message's id is its queue's name, a slash, and the id within that queue
 * ({@code mail/m|1700000000000-0}), so that every write goes to the queue the message came from.
 *
 * <p>A fetch tries the queues in the {@link WorkerQueues#readOrder} of this read, without waiting, and stops once it
 * has as many as asked; so, strictly ordered, a lower queue is read only for what the higher ones did not fill. When
 * every queue was empty, it waits on one {@code XREAD BLOCK} over all the streams, from the last entry each stream's
 * group was handed, and then tries them in order once more: the wait itself takes no entry, so it never hands over
 * more than asked nor a lower queue's entry first. That wait names keys of several hash tags: it needs the streams
 * on one server (a standalone Redis, which is what the transport connects to), not a Cluster. Due retries and
 * takeovers are looked for in the same order.
 *
 * <p>Thread-safety as {@link QueueBackend} says: {@link #fetch} from the fetcher thread only (the backends share
 * its reading connection), the rest from any thread.
 */
final class MultiQueueBackend implements QueueBackend {

    private static final char SEPARATOR = '/';

    private final Map<String, RedisQueueBackend> backends;
    private final WorkerQueues queues;
    private final StatefulRedisConnection<String, String> reader;
    private final Random random;

    /**
     * @param backends one per queue of {@code queues}; the first closes the shared reading connection
     * @param queues   which queues, in which order
     * @param reader   the reading connection they share, for the wait over all streams
     * @param random   draws the order of weighted reads
     */
    MultiQueueBackend(Map<String, RedisQueueBackend> backends, WorkerQueues queues,
                      StatefulRedisConnection<String, String> reader, Random random) {
        this.backends = new LinkedHashMap<>(backends);
        this.queues = queues;
        this.reader = reader;
        this.random = random;
    }

    @Override
    public void open() {
        backends.values().forEach(RedisQueueBackend::open);
    }

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        List<Delivery> read = readInOrder(max);
        if (!read.isEmpty()) {
            return read;
        }
        awaitNewEntries(block);
        return readInOrder(max);
    }

    private List<Delivery> readInOrder(int max) {
        return inReadOrder(max, (queue, room) -> backends.get(queue).fetchNow(room));
    }

    /** Asks the queues in this read's order for at most what is still wanted, until {@code max} are found. */
    private List<Delivery> inReadOrder(int max, BiFunction<String, Integer, List<Delivery>> take) {
        List<Delivery> found = new ArrayList<>();
        for (String queue : queues.readOrder(random)) {
            if (found.size() == max) {
                break;
            }
            take.apply(queue, max - found.size()).forEach(d -> found.add(outer(queue, d)));
        }
        return found;
    }

    @SuppressWarnings("unchecked") // Lettuce's xread takes StreamOffset<K>... varargs
    private void awaitNewEntries(Duration block) {
        List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
        for (RedisQueueBackend backend : backends.values()) {
            offsets.add(backend.unreadOffset());
        }
        RedisQueueBackend first = backends.values().iterator().next();
        first.call("waiting for new entries", () -> {
            List<StreamMessage<String, String>> ignored = reader.sync().xread(
                    XReadArgs.Builder.block(block).count(1), offsets.toArray(XReadArgs.StreamOffset[]::new));
            return ignored;
        });
    }

    @Override
    public void idle() {
        // Nothing to service: Redis connections need no polling.
    }

    @Override
    public List<Delivery> claimDue(int max) {
        return inReadOrder(max, (queue, room) -> backends.get(queue).claimDue(room));
    }

    /** Every queue releases its own, whatever the read order or the room: releasing takes no message. */
    @Override
    public void releaseDue() {
        backends.values().forEach(RedisQueueBackend::releaseDue);
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        Map<String, Set<String>> heldByQueue = byQueue(held);
        return inReadOrder(max, (queue, room) -> backends.get(queue).reclaimAbandoned(room,
                heldByQueue.getOrDefault(queue, Set.of())));
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        Set<String> lost = new HashSet<>();
        byQueue(held).forEach((queue, ids) -> backends.get(queue).renew(ids).forEach(id -> lost.add(outerId(queue, id))));
        return lost;
    }

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        Map<String, List<Acknowledgement>> perQueue = new LinkedHashMap<>();
        for (Acknowledgement a : done) {
            String queue = queueOf(a.delivery().id());
            perQueue.computeIfAbsent(queue, q -> new ArrayList<>())
                    .add(new Acknowledgement(inner(a.delivery()), a.kind()));
        }
        Set<String> lost = new HashSet<>();
        perQueue.forEach((queue, acks) -> backends.get(queue).acknowledge(acks)
                .forEach(id -> lost.add(outerId(queue, id))));
        return lost;
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts) {
        return backendOf(delivery).reschedule(inner(delivery), update, delayMillis, failedAttempts);
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        return backendOf(delivery).deadLetter(inner(delivery), record);
    }

    /**
     * Reports to each of its queues the running handlers of that queue's messages (0 to a queue with none, which
     * withdraws an earlier report), so that the summed {@link RedisQueueAdmin#stats()} counts each handler once.
     */
    @Override
    public void reportRunning(List<String> runningIds) {
        Map<String, Integer> perQueue = runningPerQueue(backends.keySet(), runningIds);
        perQueue.forEach((queue, running) -> backends.get(queue).reportRunning(running));
    }

    /**
     * A count alone cannot be told apart by queue: only 0 (withdrawing every report) is accepted; the engine reports
     * the ids ({@link #reportRunning(List)}).
     *
     * @throws UnsupportedOperationException if {@code running} is not 0
     */
    @Override
    public void reportRunning(int running) {
        if (running != 0) {
            throw new UnsupportedOperationException("a worker over several queues reports the ids of its running"
                    + " messages, not a count");
        }
        backends.values().forEach(b -> b.reportRunning(0));
    }

    /**
     * @param queues     the worker's queues
     * @param runningIds the outer id of each running handler's message
     * @return every queue, in order, with how many of those ids are its own
     */
    static Map<String, Integer> runningPerQueue(Collection<String> queues, List<String> runningIds) {
        Map<String, Integer> perQueue = new LinkedHashMap<>();
        queues.forEach(queue -> perQueue.put(queue, 0));
        runningIds.forEach(id -> perQueue.merge(queueOf(id), 1, Integer::sum));
        return perQueue;
    }

    /**
     * Stores the report once, through any of its queues: the subscriptions' counts are the group's, kept under the
     * bus's prefix whatever the queue ({@link Keys#subscriptionCounts()}), so each run counts once.
     */
    @Override
    public void reportActivity(SubscriptionActivity activity) {
        backends.values().iterator().next().reportActivity(activity);
    }

    @Override
    public boolean supportsRateLimits() {
        return true;
    }

    /** Every queue's backend takes permits from the same key (the bus's, see {@link Keys#ratePermits}): any will do. */
    @Override
    public long acquirePermit(String subscription, RateLimit limit) {
        return backends.values().iterator().next().acquirePermit(subscription, limit);
    }

    @Override
    public String brokerName() {
        return backends.values().iterator().next().brokerName();
    }

    @Override
    public void housekeeping() {
        backends.values().forEach(RedisQueueBackend::housekeeping);
    }

    @Override
    public void close() {
        backends.values().forEach(RedisQueueBackend::close);
    }

    static String outerId(String queue, String id) {
        return queue + SEPARATOR + id;
    }

    static String queueOf(String outerId) {
        return outerId.substring(0, outerId.indexOf(SEPARATOR));
    }

    static String innerId(String outerId) {
        return outerId.substring(outerId.indexOf(SEPARATOR) + 1);
    }

    private RedisQueueBackend backendOf(Delivery delivery) {
        return backends.get(queueOf(delivery.id()));
    }

    private static Map<String, Set<String>> byQueue(Collection<String> ids) {
        Map<String, Set<String>> byQueue = new LinkedHashMap<>();
        ids.forEach(id -> byQueue.computeIfAbsent(queueOf(id), q -> new HashSet<>()).add(innerId(id)));
        return byQueue;
    }

    private static Delivery outer(String queue, Delivery d) {
        return withId(d, outerId(queue, d.id()));
    }

    private static Delivery inner(Delivery d) {
        return withId(d, innerId(d.id()));
    }

    private static Delivery withId(Delivery d, String id) {
        return new Delivery(id, d.eventName(), d.eventId(), d.envelope(), d.onlySubscriptions(), d.progress(),
                d.brokerNow(), d.publishedAtMillis(), d.lease());
    }
}
