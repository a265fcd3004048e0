package io.hexbus.benchmarks;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The Redis transport's JSON envelope: encoding is on every publish's path, decoding on every delivery's.
 * The event is the harness's (a 332-byte envelope).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class CodecBench {

    private EventCodec codec;
    private BenchEvent event;
    private String json;
    private Instant publishedAt;

    @Setup
    public void setUp() {
        EventTypeRegistry types = new EventTypeRegistry();
        types.register(BenchEvent.class);
        codec = EventCodec.of(types);
        event = new BenchEvent(EventIds.newId(), Instant.now(), 42, RedisHarness.PAYLOAD);
        publishedAt = Instant.now();
        json = codec.encode(event, publishedAt).json();
    }

    @Benchmark
    public EncodedEvent encode() {
        return codec.encode(event, publishedAt);
    }

    @Benchmark
    public DomainEvent decode() {
        return codec.decode(json);
    }
}
