package io.hexbus.engine.stats;

import io.hexbus.api.admin.SubscriptionStats;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.DataFormatException;

/**
 * Handler durations of one subscription over a window, as a histogram (HdrHistogram, microseconds, two significant
 * digits): mergeable across workers and compact to store ({@link #encode()}, a few hundred characters). Immutable
 * once built: {@link #merge} returns a new window; thread-safe.
 */
public final class DurationWindow {

    /** The longest duration told apart; longer runs count as this long. */
    static final long HIGHEST_MICROS = Duration.ofHours(1).toNanos() / 1_000;
    private static final int DIGITS = 2;

    private static final DurationWindow EMPTY = new DurationWindow(newHistogram());

    private final Histogram histogram;

    private DurationWindow(Histogram histogram) {
        this.histogram = histogram;
    }

    /**
     * @return a window with no run in it
     */
    public static DurationWindow empty() {
        return EMPTY;
    }

    /**
     * @param nanos durations in nanoseconds, each clamped to 1 µs … 1 h
     * @return a window holding them
     */
    public static DurationWindow of(long... nanos) {
        Histogram histogram = newHistogram();
        for (long value : nanos) {
            histogram.recordValue(micros(value));
        }
        return new DurationWindow(histogram);
    }

    /** Wraps a histogram nobody else keeps. */
    static DurationWindow owning(Histogram histogram) {
        return new DurationWindow(histogram);
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, DIGITS);
    }

    static long micros(long nanos) {
        return Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000));
    }

    /**
     * @param other another window
     * @return a window holding the runs of both
     */
    public DurationWindow merge(DurationWindow other) {
        if (other.runs() == 0) {
            return this;
        }
        if (runs() == 0) {
            return other;
        }
        Histogram merged = histogram.copy();
        merged.add(other.histogram);
        return new DurationWindow(merged);
    }

    /**
     * @return how many runs it holds
     */
    public long runs() {
        return histogram.getTotalCount();
    }

    /**
     * @param percentile from 0 to 100
     * @return the duration at that percentile, or empty when it holds no run
     */
    public Optional<Duration> percentile(double percentile) {
        return runs() == 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(histogram.getValueAtPercentile(percentile) * 1_000));
    }

    /**
     * @param length how far back the window reaches
     * @return its percentiles, as the admin API reports them
     */
    public SubscriptionStats.Durations toDurations(Duration length) {
        if (runs() == 0) {
            return SubscriptionStats.Durations.none(length);
        }
        return new SubscriptionStats.Durations(length, runs(), percentile(50), percentile(95), percentile(99),
                Optional.of(Duration.ofNanos(histogram.getMaxValue() * 1_000)));
    }

    /**
     * @return the window as text (Base64 of HdrHistogram's compressed form), for a backend to store
     */
    public String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer, 9);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /**
     * @param text what {@link #encode()} wrote
     * @return the window it holds
     * @throws IllegalArgumentException if it is not such text
     */
    public static DurationWindow decode(String text) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text));
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(buffer, HIGHEST_MICROS);
            return new DurationWindow(histogram);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not a duration window: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DurationWindow[runs=" + runs() + "]";
    }
}
