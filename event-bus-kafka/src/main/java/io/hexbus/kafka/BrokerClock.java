package io.hexbus.kafka;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The broker's clock as a worker sees it: the worker's own clock plus an offset measured from the writes the worker
 * makes to topics whose timestamps are the broker's ({@code message.timestamp.type=LogAppendTime}: the retry tiers
 * and the stats topic). A write's acknowledgement carries the time the broker appended it, which lies between when
 * the write was sent and when it was acknowledged; the offset is taken at the middle of that round trip, so it is off
 * by at most half the round trip. Among the samples, the one with the shortest round trip wins (the tightest bound),
 * unless it is older than {@link #SAMPLE_LIFETIME_MILLIS}, so a clock that drifts, or is set, is followed.
 *
 * <p>Until a first sample arrives it is the worker's clock. A sample from a topic whose timestamps are the writer's
 * (CreateTime) carries the worker's own clock and measures an offset of about 0, which is what it says.
 *
 * <p>Due times and waits of the Kafka transport are read from this clock, so that a worker whose clock is wrong
 * neither runs a retry early nor holds it late (the design brief: due times on the broker's clock).
 *
 * <p>Thread-safe: samples and readings may come from any thread; never blocks.
 */
final class BrokerClock extends Clock {

    /** How long the best sample is kept before a later one replaces it whatever its round trip. */
    static final long SAMPLE_LIFETIME_MILLIS = 60_000;

    private final Clock local;
    private Sample best; // guarded by this

    private record Sample(long offsetMillis, long roundTripMillis, long takenAtMillis) {
    }

    /**
     * @param local the worker's own clock
     */
    BrokerClock(Clock local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    /**
     * Takes a write's acknowledgement as a sample of the broker's clock.
     *
     * @param sentAtMillis       the worker's time when the write was sent
     * @param acknowledgedMillis the worker's time when its acknowledgement arrived
     * @param appendedAtMillis   the record's timestamp in the acknowledgement: the broker's time of the append
     */
    void observe(long sentAtMillis, long acknowledgedMillis, long appendedAtMillis) {
        if (appendedAtMillis < 0 || acknowledgedMillis < sentAtMillis) {
            return; // no timestamp (-1), or the worker's clock was set back during the write: nothing to learn
        }
        long roundTrip = acknowledgedMillis - sentAtMillis;
        long offset = appendedAtMillis - (sentAtMillis + roundTrip / 2);
        Sample sample = new Sample(offset, roundTrip, acknowledgedMillis);
        synchronized (this) {
            if (best == null || roundTrip <= best.roundTripMillis
                    || acknowledgedMillis - best.takenAtMillis > SAMPLE_LIFETIME_MILLIS
                    || acknowledgedMillis < best.takenAtMillis) {
                best = sample;
            }
        }
    }

    /**
     * Makes a write to a topic whose timestamps are the broker's and takes its acknowledgement as a sample.
     *
     * @param write the blocking write, returning what the cluster acknowledged
     * @return what the write returned
     */
    RecordMetadata timed(Supplier<RecordMetadata> write) {
        long sent = localMillis();
        RecordMetadata written = write.get();
        acknowledged(sent, written);
        return written;
    }

    /**
     * Takes the acknowledgement of a write sent without waiting as a sample; call it when the acknowledgement
     * arrives.
     *
     * @param sentAtMillis the worker's time when the write was sent ({@link #localMillis()})
     * @param written      what the cluster acknowledged
     */
    void acknowledged(long sentAtMillis, RecordMetadata written) {
        observe(sentAtMillis, localMillis(), written.timestamp());
    }

    /**
     * @return the worker's own time, epoch ms, for timing a write
     */
    long localMillis() {
        return local.millis();
    }

    /**
     * @return how far the broker's clock is ahead of the worker's, in ms (negative when behind); 0 before a sample
     */
    synchronized long offsetMillis() {
        return best == null ? 0 : best.offsetMillis;
    }

    @Override
    public long millis() {
        return local.millis() + offsetMillis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the broker's clock is read in UTC milliseconds only");
    }
}
