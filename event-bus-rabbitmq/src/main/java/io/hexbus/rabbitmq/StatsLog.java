package io.hexbus.rabbitmq;

import io.hexbus.engine.stats.SubscriptionCounts;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The records of a group's stats stream ({@link RabbitNames#statsStream()}) and their bytes: the workers'
 * {@link StatsReport}s and {@link StatsActivity} records (per subscription), and {@link Checkpoint}s that keep the counts of departed workers once their reports age out
 * of the stream. {@link StatsFold} folds them.
 *
 * <p>The bytes: a format version ({@value #VERSION}), a kind, then the kind's fields ({@link LogBytes}).
 * {@link #decode} accepts exactly that and refuses anything else with an {@link IllegalArgumentException}: a reader
 * skips and counts such a message rather than guess. Pure and thread-safe.
 */
final class StatsLog {

    /** The format's version, the first byte of every record. */
    static final int VERSION = 1;

    private static final int REPORT = 1;
    private static final int CHECKPOINT = 2;
    private static final int ACTIVITY = 3;
    /** A checkpoint with per-subscription totals; {@link #CHECKPOINT} is read as one without. */
    private static final int CHECKPOINT_WITH_SUBSCRIPTIONS = 4;

    private StatsLog() {
    }

    /** One record of the log. */
    sealed interface Entry permits StatsReport, StatsActivity, Checkpoint {
    }

    /**
     * The cumulative counters of one worker, or summed over several.
     *
     * @param completed      events finished
     * @param failedAttempts handler attempts that failed
     * @param deadLettered   events dead-lettered
     * @param takeovers      messages taken over
     * @param unhandled      events with no subscription
     */
    record Counters(long completed, long failedAttempts, long deadLettered, long takeovers, long unhandled) {

        /** Nothing counted. */
        static final Counters ZERO = new Counters(0, 0, 0, 0, 0);

        /** @throws IllegalArgumentException if a number is negative */
        Counters {
            StatsReport.notNegative("completed", completed);
            StatsReport.notNegative("failedAttempts", failedAttempts);
            StatsReport.notNegative("deadLettered", deadLettered);
            StatsReport.notNegative("takeovers", takeovers);
            StatsReport.notNegative("unhandled", unhandled);
        }

        /**
         * @param other more counters
         * @return the sums; a sum beyond {@link Long#MAX_VALUE} stays at it
         */
        Counters plus(Counters other) {
            return new Counters(add(completed, other.completed), add(failedAttempts, other.failedAttempts),
                    add(deadLettered, other.deadLettered), add(takeovers, other.takeovers),
                    add(unhandled, other.unhandled));
        }

        static long add(long sum, long value) {
            long total = sum + value;
            return total < sum ? Long.MAX_VALUE : total; // both are 0 or more: a wrap shows as a smaller sum
        }
    }

    /**
     * The counts of the workers that departed, as one full snapshot: the previous checkpoint's totals plus the
     * latest reports of the workers absorbed since. The latest checkpoint of the stream supersedes every earlier one.
     *
     * @param totals          the departed workers' counters, summed
     * @param absorbed        each absorbed worker's name, and the stream offset of its report the totals include:
     *                        that report and its earlier ones are counted here, a later one of the name is a new run's
     * @param writtenAtMillis when it was written, epoch ms on the writer's clock
     * @param subscriptions   the departed workers' counts per subscription ({@link StatsActivity}), summed
     */
    record Checkpoint(Counters totals, Map<String, Long> absorbed, long writtenAtMillis,
                      Map<String, SubscriptionCounts> subscriptions) implements Entry {

        /**
         * A checkpoint without per-subscription totals.
         *
         * @param totals          the departed workers' counters
         * @param absorbed        the absorbed workers and offsets
         * @param writtenAtMillis when it was written
         */
        Checkpoint(Counters totals, Map<String, Long> absorbed, long writtenAtMillis) {
            this(totals, absorbed, writtenAtMillis, Map.of());
        }

        /**
         * Copies the maps.
         *
         * @throws NullPointerException     if a part is null
         * @throws IllegalArgumentException if a name is empty or an offset, a count or the time negative
         */
        Checkpoint {
            Objects.requireNonNull(totals, "totals");
            subscriptions = Map.copyOf(subscriptions);
            subscriptions.values().forEach(StatsActivity::checkCounts);
            absorbed = Map.copyOf(absorbed);
            absorbed.forEach((name, offset) -> {
                if (name.isEmpty() || offset < 0) {
                    throw new IllegalArgumentException("absorbed worker '" + name + "' at " + offset);
                }
            });
            StatsReport.notNegative("writtenAtMillis", writtenAtMillis);
        }
    }

    /**
     * @param entry a record
     * @return its bytes, which {@link #decode} reads back equal
     */
    static byte[] encode(Entry entry) {
        LogBytes.Writer out = new LogBytes.Writer().bytes(VERSION);
        if (entry instanceof StatsReport r) {
            out.bytes(REPORT).text(r.worker()).number(r.completed()).number(r.failedAttempts())
                    .number(r.deadLettered()).number(r.takeovers()).number(r.unhandled()).number(r.running())
                    .number(r.held()).number(r.settling()).number(r.writtenAtMillis());
        } else if (entry instanceof StatsActivity a) {
            out.bytes(ACTIVITY).text(a.worker()).number(a.writtenAtMillis());
            subscriptionCounts(out, a.counts());
            out.bytes(a.withWindows() ? 1 : 0);
            if (a.withWindows()) {
                out.integer(a.windows().size());
                new TreeMap<>(a.windows()).forEach((name, window) -> out.text(name).text(window));
            }
        } else {
            Checkpoint c = (Checkpoint) entry;
            Counters t = c.totals();
            // Without subscriptions, the kind a worker of the previous version reads (it skips an unknown kind).
            boolean withSubscriptions = !c.subscriptions().isEmpty();
            out.bytes(withSubscriptions ? CHECKPOINT_WITH_SUBSCRIPTIONS : CHECKPOINT).number(t.completed())
                    .number(t.failedAttempts()).number(t.deadLettered()).number(t.takeovers()).number(t.unhandled())
                    .number(c.writtenAtMillis()).integer(c.absorbed().size());
            new TreeMap<>(c.absorbed()).forEach((name, offset) -> out.text(name).number(offset));
            if (withSubscriptions) {
                subscriptionCounts(out, c.subscriptions());
            }
        }
        return out.toBytes();
    }

    private static void subscriptionCounts(LogBytes.Writer out, Map<String, SubscriptionCounts> counts) {
        out.integer(counts.size());
        new TreeMap<>(counts).forEach((name, c) -> out.text(name).number(c.handled()).number(c.failedAttempts())
                .number(c.retriesScheduled()).number(c.deadLettered()));
    }

    private static Map<String, SubscriptionCounts> subscriptionCounts(LogBytes.Reader in) {
        int count = in.count("the subscriptions");
        Map<String, SubscriptionCounts> counts = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.text("a subscription's name");
            if (counts.put(name, new SubscriptionCounts(in.number(), in.number(), in.number(), in.number())) != null) {
                throw new IllegalArgumentException("subscription '" + name + "' twice");
            }
        }
        return counts;
    }

    private static StatsActivity activity(LogBytes.Reader in) {
        String worker = in.text("the worker's name");
        long writtenAt = in.number();
        Map<String, SubscriptionCounts> counts = subscriptionCounts(in);
        int withWindows = in.unsignedByte();
        if (withWindows > 1) {
            throw new IllegalArgumentException("a windows flag of " + withWindows);
        }
        if (withWindows == 0) {
            return new StatsActivity(worker, counts, Map.of(), writtenAt, false);
        }
        int count = in.count("the windows");
        Map<String, String> windows = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.text("a window's subscription");
            if (windows.put(name, in.text("a window")) != null) {
                throw new IllegalArgumentException("the window of subscription '" + name + "' twice");
            }
        }
        return new StatsActivity(worker, counts, windows, writtenAt, true);
    }

    /**
     * @param body a message body of the stream
     * @return its record
     * @throws IllegalArgumentException saying what is wrong, if it is not exactly a record of {@link #VERSION}
     */
    static Entry decode(byte[] body) {
        LogBytes.Reader in = new LogBytes.Reader(body);
        int version = in.unsignedByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("a stats record of version " + version + ", not " + VERSION);
        }
        int kind = in.unsignedByte();
        Entry entry = switch (kind) {
            case REPORT -> new StatsReport(in.text("the worker's name"), in.number(), in.number(), in.number(),
                    in.number(), in.number(), in.number(), in.number(), in.number(), in.number());
            case CHECKPOINT -> checkpoint(in, false);
            case CHECKPOINT_WITH_SUBSCRIPTIONS -> checkpoint(in, true);
            case ACTIVITY -> activity(in);
            default -> throw new IllegalArgumentException("a stats record of unknown kind " + kind);
        };
        in.end();
        return entry;
    }

    private static Checkpoint checkpoint(LogBytes.Reader in, boolean withSubscriptions) {
        Counters totals = new Counters(in.number(), in.number(), in.number(), in.number(), in.number());
        long writtenAt = in.number();
        int count = in.count("the absorbed workers");
        Map<String, Long> absorbed = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.text("an absorbed worker's name");
            if (absorbed.put(name, in.number()) != null) {
                throw new IllegalArgumentException("absorbed worker '" + name + "' twice");
            }
        }
        return new Checkpoint(totals, absorbed, writtenAt, withSubscriptions ? subscriptionCounts(in) : Map.of());
    }
}
