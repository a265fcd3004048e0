package io.hexbus.engine.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts one worker's handler runs per subscription, and keeps their durations over a sliding window.
 *
 * <p>The counting methods are thread-safe and wait-free (called on the job threads, on the hot path).
 * {@link #activity()} and {@link #reported(SubscriptionActivity)} belong to one reporting thread: the worker takes
 * the activity, has its backend store it, and marks it reported only once stored, so a report that fails is sent
 * again with the next one instead of being lost.
 */
public final class SubscriptionTally {

    /** How many slices a window is cut into: runs leave it a slice at a time. */
    static final int SLICES = 5;

    private final Duration windowLength;
    private final long sliceNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private long sequence; // reporting thread only

    /**
     * @param windowLength how far back the durations reach
     * @param nanoTime     the monotonic clock, as {@link System#nanoTime()}
     */
    public SubscriptionTally(Duration windowLength, LongSupplier nanoTime) {
        this.windowLength = windowLength;
        this.sliceNanos = Math.max(1, windowLength.toNanos() / SLICES);
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one handler run.
     *
     * @param subscription the subscription
     * @param nanos        how long it ran
     * @param failed       true if it failed
     */
    public void handled(String subscription, long nanos, boolean failed) {
        Tally tally = tally(subscription);
        (failed ? tally.failed : tally.handled).increment();
        tally.recorder.recordValue(DurationWindow.micros(nanos));
    }

    /**
     * Counts a failed run after which a retry was scheduled for the subscription.
     *
     * @param subscription the subscription
     */
    public void retryScheduled(String subscription) {
        tally(subscription).retries.increment();
    }

    /**
     * Counts an event the subscription gave up on.
     *
     * @param subscription the subscription
     */
    public void deadLettered(String subscription) {
        tally(subscription).dead.increment();
    }

    /**
     * Reporting thread only. Moves the runs recorded since the last call into the window. Each call numbers its
     * activity above the last: a caller whose report failed sends that same activity again (before taking a
     * new one) or merges it into the next, as its backend needs. Numbers grow with every call, reported or not.
     *
     * @return the counts not yet reported, and the window of every subscription with runs in it
     */
    public SubscriptionActivity activity() {
        long slice = nanoTime.getAsLong() / sliceNanos;
        Map<String, SubscriptionCounts> counts = new HashMap<>();
        Map<String, DurationWindow> windows = new HashMap<>();
        tallies.forEach((name, tally) -> {
            SubscriptionCounts unreported = tally.total().minus(tally.reported);
            if (!unreported.isZero()) {
                counts.put(name, unreported);
            }
            DurationWindow window = tally.window(slice);
            if (window.runs() > 0) {
                windows.put(name, window);
            }
        });
        return new SubscriptionActivity(counts, windows, windowLength, ++sequence);
    }

    /**
     * Reporting thread only. Marks counts as stored, so the next {@link #activity()} leaves them out.
     *
     * @param activity what the backend stored
     */
    public void reported(SubscriptionActivity activity) {
        activity.counts().forEach((name, counts) -> {
            Tally tally = tallies.get(name);
            tally.reported = tally.reported.plus(counts);
        });
    }

    private Tally tally(String subscription) {
        return tallies.computeIfAbsent(subscription, name -> new Tally());
    }

    private static final class Tally {
        final LongAdder handled = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder dead = new LongAdder();
        final Recorder recorder = new Recorder(1, DurationWindow.HIGHEST_MICROS, 2);
        // Reporting thread only: slice i of the ring holds the runs taken in slice number sliceOf[i].
        final Histogram[] ring = new Histogram[SLICES];
        final long[] sliceOf = new long[SLICES];
        SubscriptionCounts reported = SubscriptionCounts.ZERO;
        private Histogram spare;
        private DurationWindow window = DurationWindow.empty();
        private long windowSlice = Long.MIN_VALUE;

        SubscriptionCounts total() {
            return new SubscriptionCounts(handled.sum(), failed.sum(), retries.sum(), dead.sum());
        }

        DurationWindow window(long slice) {
            int at = (int) Math.floorMod(slice, (long) SLICES);
            if (ring[at] == null || sliceOf[at] != slice) {
                ring[at] = DurationWindow.newHistogram();
                sliceOf[at] = slice;
            }
            spare = recorder.getIntervalHistogram(spare);
            if (spare.getTotalCount() == 0 && slice == windowSlice) {
                return window; // nothing new, nothing left: the same window, without building it again
            }
            ring[at].add(spare);
            Histogram merged = DurationWindow.newHistogram();
            for (int i = 0; i < SLICES; i++) {
                if (ring[i] != null && slice - sliceOf[i] < SLICES) {
                    merged.add(ring[i]);
                }
            }
            window = DurationWindow.owning(merged);
            windowSlice = slice;
            return window;
        }
    }
}
