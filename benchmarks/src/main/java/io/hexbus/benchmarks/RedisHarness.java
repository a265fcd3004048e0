package io.hexbus.benchmarks;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueAdmin;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.codec.EventCodec;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The Redis transport measured against the ceiling of the same Redis, in one run: raw Lettuce first, then
 * hexbus. Prints a table and writes {@code benchmarks/target/redis-results.json}.
 *
 * <p>Every key lives under {@code hexbus-bench:{<random uuid>}} and is deleted at the end (SCAN + UNLINK of
 * that prefix only; never a flush): the Redis may be shared. {@code REDIS_URL} picks the server (default
 * {@code redis://127.0.0.1:6379}). Sizes scale with {@code -Dbench.scale=0.2} (quick) and the end-to-end
 * count with {@code -Dbench.e2e=N} (default 100,000), its configurations with {@code -Dbench.e2eConfigs=1x1,1x4,2x4}
 * (worker processes x slots); {@code -Dbench.parts=ceiling,publish,e2e,latency,memory} picks parts.
 */
public final class RedisHarness {

    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final double SCALE = Double.parseDouble(System.getProperty("bench.scale", "1"));
    /** The workers' pollInterval in the latency part ({@code -Dbench.pollMs}, default the transport's 100 ms). */
    static final Duration POLL = Duration.ofMillis(Long.getLong("bench.pollMs", 100));
    static final String PAYLOAD = "order-0000000000-customer-00000000";

    @EventName("bench.redis-event")
    public record BenchEvent(UUID eventId, Instant occurredAt, long sentNanos, String payload) implements DomainEvent {
    }

    private final String url;
    private final String base;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final EventCodec codec;
    private final String sampleJson;
    private final Figures figures;
    private final Map<String, Object> extra;
    private int partCounter;

    RedisHarness(String url) {
        this(url, new Figures(RUNS, WARM_UP));
    }

    /**
     * The warm-up of every throughput figure (issue 20: the pipelined XADD ceiling climbed from 110k/s to 216k/s
     * over six runs in one JVM): untimed rounds until the last 3 agree within 10%, at least 3, at most 15.
     * {@code -Dbench.warmupMin}, {@code -Dbench.warmupMax}, {@code -Dbench.warmupWindow} and
     * {@code -Dbench.warmupTolerance} change it.
     */
    static final Figures.WarmUp WARM_UP = new Figures.WarmUp(Integer.getInteger("bench.warmupMin", 3),
            Integer.getInteger("bench.warmupMax", 15),
            Double.parseDouble(System.getProperty("bench.warmupTolerance", "0.10")),
            Integer.getInteger("bench.warmupWindow", 3));

    /**
     * @param url     the Redis
     * @param figures where the figures go, with their warm-up rule (the Kafka harness passes its own)
     */
    RedisHarness(String url, Figures figures) {
        this.url = url;
        this.figures = figures;
        this.extra = figures.extra;
        this.base = "hexbus-bench:{" + UUID.randomUUID() + "}";
        this.client = RedisClient.create(url);
        this.connection = client.connect();
        this.redis = connection.sync();
        EventTypeRegistry types = new EventTypeRegistry();
        types.register(BenchEvent.class);
        this.codec = EventCodec.of(types);
        this.sampleJson = codec.encode(event(0), Instant.now()).json();
    }

    public static void main(String[] args) throws Exception {
        String url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        if (url.isBlank()) {
            url = "redis://127.0.0.1:6379";
        }
        String parts = System.getProperty("bench.parts", "ceiling,publish,e2e,latency,memory");
        RedisHarness harness = new RedisHarness(url);
        try {
            harness.run(parts);
        } finally {
            harness.close();
        }
        harness.figures.report("\"redis\": \"" + harness.serverInfoSafe() + "\",\n  \"scale\": " + SCALE,
                "redis-results.json");
    }

    void run(String parts) throws Exception {
        System.out.printf(Locale.ROOT, "Redis %s at %s, prefix %s, %d runs per figure, scale %.2f%n",
                serverInfo("server", "redis_version"), RedisConnectionSettings.fromUrl(url).describe(), base, RUNS,
                SCALE);
        System.out.println("Envelope of one event: " + sampleJson.getBytes(StandardCharsets.UTF_8).length + " bytes");
        System.out.println("Warm-up of every throughput figure: " + WARM_UP.describe() + "; load average "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (parts.contains("ceiling")) {
            ceilings();
        }
        if (parts.contains("publish")) {
            publishing();
        }
        if (parts.contains("e2e")) {
            int[][] configurations = Arrays.stream(System.getProperty("bench.e2eConfigs", "1x1,1x4,2x4").split(","))
                    .map(c -> Arrays.stream(c.trim().split("x")).mapToInt(Integer::parseInt).toArray())
                    .toArray(int[][]::new); // processes x slots
            endToEnd(Integer.getInteger("bench.e2e", scaled(100_000)), configurations, "");
        }
        figures.warmUp(null); // the latency and memory parts have warm-ups of their own
        if (parts.contains("latency")) {
            latency();
        }
        if (parts.contains("memory")) {
            memory();
        }
        // Issue 20: BullMQ, the Redis peer, in the same run against the same Redis, last (BullMqPeer, bench.mjs).
        if (parts.contains("bullmq")) {
            BullMqPeer.measureInto(figures, url, base + ":bullmq", sampleJson,
                    Integer.getInteger("bench.e2e", scaled(100_000)));
        }
    }

    // ---------------------------------------------------------------- ceilings: raw Lettuce, no hexbus

    static final String TINY_SCRIPT = """
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return redis.call('XADD', KEYS[1], '*', 'i', ARGV[1], 'n', ARGV[3], 'e', ARGV[4])
            end
            return ''
            """;

    /**
     * The batch ceiling of {@code publishAll}: per event of the call, {@code SET dedupe NX PX} then {@code XADD}
     * of the fields hexbus writes. KEYS[1] the stream, KEYS[2..] the dedupe keys; ARGV[1] the window, then id,
     * name, envelope per event.
     */
    static final String BATCH_SCRIPT = """
            local out = {}
            for i = 2, #KEYS do
              local b = 2 + 3 * (i - 2)
              if redis.call('SET', KEYS[i], ARGV[b], 'NX', 'PX', ARGV[1]) then
                out[i - 1] = redis.call('XADD', KEYS[1], '*', 'i', ARGV[b], 'n', ARGV[b + 1], 'e', ARGV[b + 2])
              else
                out[i - 1] = ''
              end
            end
            return out
            """;

    static final String SYNC_EVALSHA = "raw EVALSHA SET NX + XADD, one by one (sync)";
    static final String BATCH_EVALSHA = "raw EVALSHA SET NX + XADD x100 per call (sync)";
    static final String PIPELINED_XADD = "raw XADD, pipelined (1,000 in flight, manual flush)";
    static final String PIPELINED_EVALSHA = "raw EVALSHA SET NX + XADD, pipelined (1,000 in flight)";

    /** The raw ceilings without a hexbus figure of their own round (those are measured with it: publishing()). */
    void ceilings() throws Exception {
        String sha = redis.scriptLoad(TINY_SCRIPT);
        int oneByOne = scaled(5_000);
        int pipelined = scaled(100_000);
        figures.measure("raw XADD, one by one (sync)", "events/s", null, null, "", () -> {
            String stream = freshPrefix("ceil") + ":stream";
            String[] ids = ids(oneByOne);
            long t0 = System.nanoTime();
            for (String id : ids) {
                redis.xadd(stream, "i", id, "n", "bench.redis-event", "e", sampleJson);
            }
            double rate = rate(oneByOne, t0);
            redis.unlink(stream); // each round on an empty key space, as the first
            return rate;
        });
        figures.measure(PIPELINED_XADD, "events/s", null, null, "", () -> {
            String stream = freshPrefix("ceil") + ":stream";
            String[] ids = ids(pipelined);
            CpuSnapshot before = cpuSnapshot(null);
            long t0 = System.nanoTime();
            double rate = pipelinedRate(pipelined, (async, i) -> async.xadd(stream, "i", ids[i], "n",
                    "bench.redis-event", "e", sampleJson));
            Map<String, Double> cpu = cpuSnapshot(null).perEventMicros(before, pipelined,
                    (System.nanoTime() - t0) / 1e9);
            extra.put("cpuMicrosPerEvent_pipelinedXadd", new java.util.TreeMap<>(cpu));
            System.out.println("    CPU per event, µs: " + new java.util.TreeMap<>(cpu));
            redis.unlink(stream);
            return rate;
        });
        figures.measure(PIPELINED_EVALSHA, "events/s", null, null, "", () -> {
            String prefix = freshPrefix("ceil");
            String stream = prefix + ":stream";
            String[] ids = ids(pipelined / 2);
            double rate = pipelinedRate(ids.length, (async, i) -> async.evalsha(sha, ScriptOutputType.VALUE,
                    new String[] {stream, prefix + ":dedupe:" + ids[i]}, ids[i], "604800000", "bench.redis-event",
                    sampleJson));
            deleteKeys(prefix);
            return rate;
        });
    }

    /** {@link #TINY_SCRIPT} called once per event, synchronously: {@code publish}'s ceiling. */
    double syncEvalsha(String sha, int n) {
        String prefix = freshPrefix("ceil");
        String stream = prefix + ":stream";
        String[] ids = ids(n);
        long t0 = System.nanoTime();
        for (String id : ids) {
            redis.evalsha(sha, ScriptOutputType.VALUE, new String[] {stream, prefix + ":dedupe:" + id}, id,
                    "604800000", "bench.redis-event", sampleJson);
        }
        double rate = rate(n, t0);
        deleteKeys(prefix);
        return rate;
    }

    /** {@link #BATCH_SCRIPT} called once per 100 events, synchronously: {@code publishAll(100)}'s ceiling. */
    double batchEvalsha(String sha, int n) {
        String prefix = freshPrefix("ceil");
        String stream = prefix + ":stream";
        String[] ids = ids(n);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 100) {
            int size = Math.min(100, n - from);
            String[] keys = new String[size + 1];
            String[] args = new String[size * 3 + 1];
            keys[0] = stream;
            args[0] = "604800000";
            for (int i = 0; i < size; i++) {
                String id = ids[from + i];
                keys[i + 1] = prefix + ":dedupe:" + id;
                args[3 * i + 1] = id;
                args[3 * i + 2] = "bench.redis-event";
                args[3 * i + 3] = sampleJson;
            }
            redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        }
        double rate = rate(n, t0);
        deleteKeys(prefix);
        return rate;
    }

    interface AsyncOp {
        RedisFuture<?> send(RedisAsyncCommands<String, String> async, int i);
    }

    double pipelinedRate(int n, AsyncOp op) {
        try (StatefulRedisConnection<String, String> pipe = client.connect()) {
            long t0 = System.nanoTime();
            pipelined(pipe, n, op);
            return rate(n, t0);
        }
    }

    /** Sends {@code n} commands in windows of 1,000 on a connection of their own; returns when all are answered. */
    void pipelined(int n, AsyncOp op) {
        try (StatefulRedisConnection<String, String> pipe = client.connect()) {
            pipelined(pipe, n, op);
        }
    }

    static void pipelined(StatefulRedisConnection<String, String> pipe, int n, AsyncOp op) {
        pipe.setAutoFlushCommands(false);
        RedisAsyncCommands<String, String> async = pipe.async();
        RedisFuture<?>[] window = new RedisFuture<?>[1_000];
        for (int start = 0; start < n; start += window.length) {
            int size = Math.min(window.length, n - start);
            for (int j = 0; j < size; j++) {
                window[j] = op.send(async, start + j);
            }
            pipe.flushCommands();
            if (!LettuceFutures.awaitAll(Duration.ofSeconds(30), Arrays.copyOf(window, size))) {
                throw new IllegalStateException("pipeline timed out");
            }
        }
    }

    // ---------------------------------------------------------------- hexbus publish

    /**
     * Each hexbus publish figure in rounds with its ceiling: the raw script before and after hexbus (the ceiling of
     * the round is their mean, so drift during the round does not favour either side).
     */
    void publishing() throws Exception {
        int oneByOne = scaled(5_000);
        int batched = scaled(50_000);
        int threaded = scaled(20_000);
        String tinySha = redis.scriptLoad(TINY_SCRIPT);
        String batchSha = redis.scriptLoad(BATCH_SCRIPT);
        figures.measureTogether(List.of(new Figures.Spec(SYNC_EVALSHA, "events/s", null, null,
                        "mean of the runs before and after hexbus's in each round"),
                new Figures.Spec("hexbus publish, one by one (1 thread)", "events/s", SYNC_EVALSHA, 0.95, "")), () -> {
                    double before = syncEvalsha(tinySha, oneByOne);
                    double hexbus;
                    try (Bench b = bench(RedisQueueSettings.defaults("bench"))) {
                        List<BenchEvent> events = events(oneByOne);
                        long t0 = System.nanoTime();
                        for (BenchEvent e : events) {
                            b.bus.publish(e);
                        }
                        hexbus = rate(oneByOne, t0);
                    }
                    double after = syncEvalsha(tinySha, oneByOne);
                    return new double[] {(before + after) / 2, hexbus};
                });
        figures.measureTogether(List.of(new Figures.Spec(BATCH_EVALSHA, "events/s", null, null,
                        "mean of the runs before and after hexbus's in each round"),
                new Figures.Spec("hexbus publishAll, batches of 100", "events/s", BATCH_EVALSHA, 0.90, "")), () -> {
                    Map<String, Long> stats0 = commandStats();
                    double before = batchEvalsha(batchSha, batched);
                    Map<String, Long> stats1 = commandStats();
                    double hexbus;
                    try (Bench b = bench(RedisQueueSettings.defaults("bench"))) {
                        List<BenchEvent> events = events(batched);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < events.size(); i += 100) {
                            b.bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
                        }
                        hexbus = rate(batched, t0);
                    }
                    Map<String, Long> stats2 = commandStats();
                    double after = batchEvalsha(batchSha, batched);
                    Map<String, Double> rawCommands = new java.util.TreeMap<>();
                    Map<String, Double> hexbusCommands = new java.util.TreeMap<>();
                    commandsPerEvent(stats0, stats1, batched, rawCommands);
                    commandsPerEvent(stats1, stats2, batched, hexbusCommands);
                    // what Redis spends per event in each (scripts' µs include the commands they call)
                    System.out.println("    Redis per event: raw " + rawCommands + "; hexbus " + hexbusCommands);
                    extra.put("commandsPerEvent_publishAll100_raw", rawCommands);
                    extra.put("commandsPerEvent_publishAll100_hexbus", hexbusCommands);
                    return new double[] {(before + after) / 2, hexbus};
                });
        figures.measure("hexbus publish from 8 threads", "events/s", PIPELINED_EVALSHA, null, "", () -> {
                    try (Bench b = bench(RedisQueueSettings.defaults("bench"))) {
                        List<BenchEvent> events = events(threaded);
                        CountDownLatch go = new CountDownLatch(1);
                        List<Thread> threads = new ArrayList<>();
                        int per = threaded / 8;
                        for (int t = 0; t < 8; t++) {
                            List<BenchEvent> mine = events.subList(t * per, (t + 1) * per);
                            Thread thread = new Thread(() -> {
                                awaitQuietly(go);
                                mine.forEach(b.bus::publish);
                            });
                            thread.start();
                            threads.add(thread);
                        }
                        long t0 = System.nanoTime();
                        go.countDown();
                        for (Thread thread : threads) {
                            thread.join();
                        }
                        return rate(per * 8, t0);
                    }
                });
    }

    // ---------------------------------------------------------------- end to end

    /** Entries the raw consumers read per {@code XREADGROUP}: hexbus's default {@code batchSize}. */
    static final int RAW_COUNT = RedisQueueSettings.defaults("bench").batchSize();

    /**
     * N events published with {@code publishAll(100)} from this JVM, consumed by worker processes
     * ({@link BenchWorker}) with a no-op handler: events per second from the first publish until the group's
     * completed counter reaches N. Each round first measures the raw end-to-end ceiling the same way: N entries of
     * the same fields and bytes written with pipelined {@code XADD}, read by as many raw worker processes
     * ({@link BenchWorker}'s raw mode: {@code XREADGROUP COUNT} {@value #RAW_COUNT} {@code BLOCK}, one {@code XACK}
     * per read; no script, no dedupe), from the first {@code XADD} until all N are acknowledged. Both sets of
     * workers are started once per configuration and serve its warm-up rounds (until the rule is met: their JIT
     * has compiled their paths) and its measured rounds. Also prints the CPU time each party spent per event
     * (this machine has 2 cores for all of them) and the Redis commands per event, of both.
     */
    void endToEnd(int n, int[][] configurations, String namePrefix) throws Exception {
        endToEnd(n, configurations, namePrefix, 1);
    }

    /**
     * @param publishers threads calling publishAll(100) at once, taking the next 100 events in turn
     */
    void endToEnd(int n, int[][] configurations, String namePrefix, int publishers) throws Exception {
        extra.put("endToEndEvents", n);
        for (int[] configuration : configurations) {
            int processes = configuration[0];
            int slots = configuration[1];
            String label = processes + " worker process" + (processes > 1 ? "es" : "") + " × " + slots + " slot"
                    + (slots > 1 ? "s" : "");
            String rawName = namePrefix + "raw end to end beside " + processes + " × " + slots + ", " + processes
                    + " process" + (processes > 1 ? "es" : "") + " (XADD -> XREADGROUP COUNT " + RAW_COUNT
                    + " + XACK), N=" + n;
            Map<String, Double> perEvent = new HashMap<>();
            Map<String, Double> cpu = new HashMap<>();
            Map<String, Double> rawPerEvent = new HashMap<>();
            Map<String, Double> rawCpu = new HashMap<>();
            String raw = freshPrefix("raw-e2e");
            String rawStream = raw + ":stream";
            String rawAcked = raw + ":acked";
            redis.xgroupCreate(XReadArgs.StreamOffset.from(rawStream, "$"), "bench",
                    XGroupCreateArgs.Builder.mkstream());
            try (Bench b = bench(RedisQueueSettings.defaults("bench"));
                 WorkerProcesses workers = new WorkerProcesses(BenchWorker.class, processes, List.of(url, b.prefix,
                         Integer.toString(slots)));
                 WorkerProcesses rawWorkers = new WorkerProcesses(BenchWorker.class, processes, List.of("raw", url,
                         rawStream, "bench", Integer.toString(RAW_COUNT), rawAcked))) {
                String[] ids = ids(n);
                figures.measureTogether(List.of(
                        new Figures.Spec(rawName, "events/s", null, null, "same N, fields and bytes, no script"),
                        new Figures.Spec(namePrefix + "end to end, " + label + ", N=" + n, "events/s", rawName,
                                namePrefix.isEmpty() ? 0.40 : null, "")), () -> { // no target beside another harness's
                    // the raw ceiling: pipelined XADD while the raw workers read and acknowledge
                    long rawDone = acked(rawAcked);
                    Map<String, Long> rawBefore = commandStats();
                    CpuSnapshot rawCpuBefore = cpuSnapshot(rawWorkers);
                    long r0 = System.nanoTime();
                    pipelined(n, (async, i) -> async.xadd(rawStream, "i", ids[i], "n", "bench.redis-event", "e",
                            sampleJson));
                    while (acked(rawAcked) < rawDone + n) {
                        if (System.nanoTime() - r0 > TimeUnit.MINUTES.toNanos(5)) {
                            throw new IllegalStateException("raw workers did not acknowledge within 5 minutes");
                        }
                        Thread.sleep(20); // as awaitCompleted polls hexbus's counter
                    }
                    double rawSeconds = (System.nanoTime() - r0) / 1e9;
                    CpuSnapshot rawCpuAfter = cpuSnapshot(rawWorkers);
                    commandsPerEvent(rawBefore, commandStats(), n, rawPerEvent);
                    rawCpu.clear();
                    rawCpu.putAll(rawCpuAfter.perEventMicros(rawCpuBefore, n, rawSeconds));
                    redis.xtrim(rawStream, 0); // all acknowledged: the next round starts from an empty stream
                    // hexbus
                    List<BenchEvent> events = events(n);
                    long done = b.admin.stats().completed();
                    Map<String, Long> before = commandStats();
                    CpuSnapshot cpuBefore = cpuSnapshot(workers);
                    long t0 = System.nanoTime();
                    publishInHundreds(b.bus, events, publishers);
                    double publishSeconds = (System.nanoTime() - t0) / 1e9;
                    awaitCompleted(b.admin, done + n, t0);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "    hexbus published all in %.2f s (%,.0f/s), all acknowledged"
                            + " after %.2f s; raw: all acknowledged after %.2f s%n", publishSeconds,
                            n / publishSeconds, seconds, rawSeconds);
                    CpuSnapshot cpuAfter = cpuSnapshot(workers);
                    commandsPerEvent(before, commandStats(), n, perEvent);
                    cpu.clear();
                    cpu.putAll(cpuAfter.perEventMicros(cpuBefore, n, seconds));
                    System.out.println("    CPU per event, µs: hexbus " + new java.util.TreeMap<>(cpu) + "; raw "
                            + new java.util.TreeMap<>(rawCpu));
                    // Untimed: every round starts from the same key space. Left in place, 100,000 dedupe keys a round
                    // made Redis's CPU per event climb round after round (rehashing), and no round was like the last.
                    unlinkDedupeKeys(b.prefix, events);
                    return new double[] {n / rawSeconds, n / seconds};
                });
            } finally {
                deleteKeys(raw);
            }
            String key = "endToEnd_" + processes + "x" + slots;
            extra.put("commandsPerEvent_" + key, new java.util.TreeMap<>(perEvent));
            extra.put("cpuMicrosPerEvent_" + key, new java.util.TreeMap<>(cpu));
            extra.put("commandsPerEvent_rawEndToEnd_" + processes, new java.util.TreeMap<>(rawPerEvent));
            extra.put("cpuMicrosPerEvent_rawEndToEnd_" + processes, new java.util.TreeMap<>(rawCpu));
            System.out.println("  Redis commands per event and the µs Redis spent in them per event (INFO"
                    + " commandstats diff, last run; scripts' µs include the commands they call): hexbus "
                    + new java.util.TreeMap<>(perEvent) + "; raw " + new java.util.TreeMap<>(rawPerEvent));
            System.out.println("  CPU per event, µs (last run): hexbus " + new java.util.TreeMap<>(cpu) + "; raw "
                    + new java.util.TreeMap<>(rawCpu));
        }
    }

    /** Unlinks the dedupe keys of {@code events} under {@code prefix}, a thousand per command, pipelined. */
    void unlinkDedupeKeys(String prefix, List<BenchEvent> events) {
        pipelined((events.size() + 999) / 1_000, (async, i) -> async.unlink(events.subList(i * 1_000,
                Math.min(events.size(), (i + 1) * 1_000)).stream().map(e -> prefix + ":dedupe:" + e.eventId())
                .toArray(String[]::new)));
    }

    /** The raw workers' acknowledged count: each adds what it acknowledged after its XACK. */
    long acked(String key) {
        String value = redis.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    static void commandsPerEvent(Map<String, Long> before, Map<String, Long> after, int n, Map<String, Double> into) {
        into.clear();
        after.forEach((cmd, calls) -> {
            long d = calls - before.getOrDefault(cmd, 0L);
            if (d > 0) {
                into.put(cmd, (double) d / n);
            }
        });
    }

    /** CPU time spent so far by Redis, by this JVM (the publisher) and by the worker processes. */
    record CpuSnapshot(double redisSeconds, double publisherSeconds, double workerSeconds) {
        Map<String, Double> perEventMicros(CpuSnapshot before, int n, double wallSeconds) {
            double redis = redisSeconds - before.redisSeconds;
            double publisher = publisherSeconds - before.publisherSeconds;
            double workers = workerSeconds - before.workerSeconds;
            return Map.of("redis", redis / n * 1e6, "publisherJvm", publisher / n * 1e6,
                    "workerJvms", workers / n * 1e6,
                    "coresBusy", (redis + publisher + workers) / wallSeconds);
        }
    }

    CpuSnapshot cpuSnapshot(WorkerProcesses workers) {
        double redisCpu = Double.parseDouble(serverInfo("cpu", "used_cpu_sys"))
                + Double.parseDouble(serverInfo("cpu", "used_cpu_user"));
        double self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        double others = workers == null ? 0 : workers.cpu().toNanos() / 1e9;
        return new CpuSnapshot(redisCpu, self, others);
    }

    // ---------------------------------------------------------------- latency at a fixed rate

    /** Offered rate of the latency part, events per second. */
    static final int LATENCY_RATE = 2_000;
    /** The JIT warm-up's rule: windows of a second until two in a row agree within this fraction on p50 and p99. */
    static final double LATENCY_STABLE = 0.10;
    static final int LATENCY_MIN_WINDOWS = 5;
    /** ... and the JIT compiled for at most this long during the second of them (compiler threads share the cores). */
    static final long LATENCY_JIT_QUIET_MS = 20;
    static final int LATENCY_MAX_WINDOWS = 40;

    /**
     * Publish → handler start at a steady {@value #LATENCY_RATE}/s, one worker of 4 slots in this JVM. First a JIT
     * warm-up on a worker of its own: windows of one second, repeated (at least {@value #LATENCY_MIN_WINDOWS}, at
     * most {@value #LATENCY_MAX_WINDOWS}) until two successive windows' p50 and p99 each agree within 10% (or
     * 0.05 ms) and the JIT compiled for at most {@value #LATENCY_JIT_QUIET_MS} ms in the second; then
     * {@code bench.runs} measured runs, each on a fresh worker (new connections, new threads) after unrecorded
     * half-seconds until one passes with the JIT compiling at most half that, each 5 s of events. Reports the median and min–max of each percentile
     * over the runs, and the GC pauses that fell inside them.
     */
    void latency() throws Exception {
        int measured = (int) (LATENCY_RATE * 5 * Math.max(SCALE, 0.2));
        int settle = LATENCY_RATE / 2;
        System.out.printf(Locale.ROOT, "  latency: load average %s%n", loadAverage());
        try (LatencyRig rig = latencyRig()) {
            double[] previous = null;
            int windows = 0;
            for (int w = 1; w <= LATENCY_MAX_WINDOWS; w++) {
                long jitBefore = jitMillis();
                Histogram h = rig.window(LATENCY_RATE, "warm" + w);
                long jit = jitMillis() - jitBefore;
                double[] now = {h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6};
                System.out.printf(Locale.ROOT, "  latency warm-up window %d: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f"
                        + " ms, %d ms compiling%n", w, now[0], now[1], h.getValueAtPercentile(99.9) / 1e6, jit);
                windows = w;
                if (w >= LATENCY_MIN_WINDOWS && previous != null && agree(previous[0], now[0])
                        && agree(previous[1], now[1]) && jit <= LATENCY_JIT_QUIET_MS) {
                    break;
                }
                previous = now;
            }
            extra.put("latencyWarmUpWindows", windows);
            System.out.printf(Locale.ROOT, "  latency warm-up: %d windows of %,d events%n", windows, LATENCY_RATE);
        }
        double[] p50 = new double[RUNS];
        double[] p99 = new double[RUNS];
        double[] p999 = new double[RUNS];
        double[] max = new double[RUNS];
        double[] scheduledP99 = new double[RUNS];
        double[] scheduledP999 = new double[RUNS];
        double[] switchesPerEvent = new double[RUNS];
        double[] cpuPerEvent = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            try (LatencyRig rig = latencyRig()) {
                // A fresh worker (new connections, new threads) sets the JIT compiling again, for seconds: its
                // unrecorded half-seconds repeat until one passes with the compiler quiet.
                int settles = 0;
                long jitSettle;
                do {
                    long jitStart = jitMillis();
                    rig.window(settle, "settle");
                    jitSettle = jitMillis() - jitStart;
                    settles++;
                } while (jitSettle > LATENCY_JIT_QUIET_MS / 2 && settles < 2 * LATENCY_MAX_WINDOWS);
                long[] gcBefore = gcTotals();
                long[] switchesBefore = contextSwitches();
                long jitBefore = jitMillis();
                long cpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
                long t0 = System.nanoTime();
                Histogram h = rig.window(measured, "run" + run);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] gcAfter = gcTotals();
                long[] switchesAfter = contextSwitches();
                long jit = jitMillis() - jitBefore;
                double cpuMicros = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos()
                        - cpuBefore) / 1e3 / measured;
                switchesPerEvent[run] = (double) (switchesAfter[0] - switchesBefore[0]) / measured;
                cpuPerEvent[run] = cpuMicros;
                p50[run] = h.getValueAtPercentile(50) / 1e6;
                p99[run] = h.getValueAtPercentile(99) / 1e6;
                p999[run] = h.getValueAtPercentile(99.9) / 1e6;
                max[run] = h.getMaxValue() / 1e6;
                Histogram scheduled = rig.fromSchedule("run" + run);
                scheduledP99[run] = scheduled.getValueAtPercentile(99) / 1e6;
                scheduledP999[run] = scheduled.getValueAtPercentile(99.9) / 1e6;
                System.out.printf(Locale.ROOT, "  latency run %d: %d measured at %.0f events/s offered: p50 %.3f ms,"
                        + " p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (from the scheduled time: p99 %.3f ms, p99.9 %.3f ms);"
                        + " %d GCs, %d ms in GC, %d ms compiling (after %d settling half-seconds); this JVM per event: %.1f voluntary and %.1f involuntary context"
                        + " switches, %.0f µs CPU; load average %s%n",
                        run + 1, h.getTotalCount(), measured / seconds, p50[run], p99[run], p999[run], max[run],
                        scheduledP99[run], scheduledP999[run], gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1],
                        jit, settles, switchesPerEvent[run], (double) (switchesAfter[1] - switchesBefore[1]) / measured, cpuMicros,
                        loadAverage());
            }
        }
        String note = "publish -> handler start, " + LATENCY_RATE + " events/s, 1 worker, 4 slots, pollInterval "
                + POLL.toMillis() + " ms, " + measured + " measured events per run, JIT warmed until stable";
        figures.add(new Figures.Figure("latency p50", "ms", p50, null, null, note));
        figures.add(new Figures.Figure("latency p99", "ms", p99, null, null, note + "; goal <= 1.5 ms"));
        figures.add(new Figures.Figure("latency p99.9", "ms", p999, null, null, note + "; goal <= 3 ms"));
        figures.add(new Figures.Figure("latency max", "ms", max, null, null, note));
        String scheduledNote = "as latency, counted from the open loop's scheduled publish time (no coordinated"
                + " omission: a late publish counts)";
        figures.add(new Figures.Figure("latency p99 from schedule", "ms", scheduledP99, null, null, scheduledNote));
        figures.add(new Figures.Figure("latency p99.9 from schedule", "ms", scheduledP999, null, null, scheduledNote));
        String perEventNote = "in the harness's JVM (publisher, worker, Lettuce), per measured event of the latency part";
        figures.add(new Figures.Figure("latency voluntary context switches per event", "", switchesPerEvent, null,
                null, perEventNote + ": each is a thread that parked and had to be woken"));
        figures.add(new Figures.Figure("latency CPU per event", "µs", cpuPerEvent, null, null, perEventNote));
    }

    /**
     * @return the voluntary and involuntary context switches of all of this JVM's threads so far (Linux's
     *         {@code /proc/self/task/}*{@code /status}); zeros elsewhere. Threads that ended meanwhile drop out:
     *         compare across a stretch in which the same threads run.
     */
    private static long[] contextSwitches() {
        long[] totals = new long[2];
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            totals[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            totals[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
        return totals;
    }

    private static boolean agree(double a, double b) {
        return Math.abs(a - b) <= Math.max(0.05, LATENCY_STABLE * Math.max(a, b));
    }

    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** A started worker of its own and a handler that records each event's latency into its window's histogram. */
    private LatencyRig latencyRig() throws InterruptedException {
        Map<String, Histogram> windows = new java.util.concurrent.ConcurrentHashMap<>();
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(BenchEvent.class, "bench.latency", (BenchEvent e) -> {
            long th = System.nanoTime();
            long latency = th - e.sentNanos();
            // The payload is "<window>|<scheduled nanoTime>": the second figure counts from when the open loop meant to
            // publish, so that a publish the publisher itself was late for (a stall, a GC) is not hidden.
            int bar = e.payload().indexOf('|');
            String tag = bar < 0 ? e.payload() : e.payload().substring(0, bar);
            Histogram h = windows.get(tag);
            if (h != null) {
                synchronized (h) {
                    h.recordValue(Math.min(latency, h.getHighestTrackableValue()));
                }
            }
            Histogram fromSchedule = bar < 0 ? null : windows.get(tag + "|");
            if (fromSchedule != null) {
                long late = th - Long.parseLong(e.payload(), bar + 1, e.payload().length(), 10);
                synchronized (fromSchedule) {
                    fromSchedule.recordValue(Math.max(0, Math.min(late, fromSchedule.getHighestTrackableValue())));
                }
            }
        });
        Bench b = bench(RedisQueueSettings.defaults("bench").withPollInterval(POLL), processor);
        b.transport.startWorker();
        LatencyRig rig = new LatencyRig(b, windows);
        rig.awaitConsuming();
        return rig;
    }

    private static final class LatencyRig implements AutoCloseable {
        private final Bench bench;
        private final Map<String, Histogram> windows;
        private long published;

        LatencyRig(Bench bench, Map<String, Histogram> windows) {
            this.bench = bench;
            this.windows = windows;
        }

        /** Until the worker's first read is blocking: one event, published until it is handled. */
        void awaitConsuming() throws InterruptedException {
            Histogram probe = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            windows.put("probe", probe);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probe.getTotalCount() == 0 && System.nanoTime() < deadline) {
                bench.bus.publish(new BenchEvent(EventIds.newId(), Instant.now(), System.nanoTime(), "probe"));
                published++;
                awaitCompleted(bench.admin, published, System.nanoTime());
            }
        }

        /** @return the latency of a window counted from each event's scheduled publish time, once it ran */
        Histogram fromSchedule(String tag) {
            return windows.get(tag + "|");
        }

        /** Publishes {@code events} at {@link #LATENCY_RATE}, open loop, and returns once all were handled. */
        Histogram window(int events, String tag) throws InterruptedException {
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            windows.put(tag, h);
            windows.put(tag + "|", new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
            UUID[] ids = new UUID[events];
            for (int i = 0; i < events; i++) {
                ids[i] = EventIds.newId();
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / LATENCY_RATE;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    if (due - now > 100_000) {
                        LockSupport.parkNanos(due - now - 50_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                bench.bus.publish(new BenchEvent(ids[i], Instant.now(), System.nanoTime(), tag + "|" + due));
            }
            published += events;
            awaitCompleted(bench.admin, published, System.nanoTime());
            return h;
        }

        @Override
        public void close() {
            bench.close();
        }
    }

    // ---------------------------------------------------------------- memory

    /**
     * Issue 20: Redis memory per waiting event, hexbus against the raw pair ({@code SET NX PX} + {@code XADD} of
     * the same payload) in the same run, each side on a private {@code redis-server} of its own by default
     * ({@code -Dbench.memoryRedis=url}: on {@code REDIS_URL}); see {@link RedisMemory}. {@code -Dbench.memoryEvents}
     * sets the events per side (default 100,000, scaled).
     */
    void memory() throws Exception {
        int n = Integer.getInteger("bench.memoryEvents", scaled(100_000));
        boolean privateRedis = !"url".equals(System.getProperty("bench.memoryRedis", "private"));
        extra.put("memory", new RedisMemory(url, n, RUNS, privateRedis).run());
    }

    // ---------------------------------------------------------------- helpers

    final class Bench implements AutoCloseable {
        final String prefix;
        final RedisTransport transport;
        final EventBus bus;
        final RedisQueueAdmin admin;

        Bench(String prefix, RedisTransport transport) {
            this.prefix = prefix;
            this.transport = transport;
            this.bus = transport.eventBus();
            this.admin = transport.admin();
        }

        @Override
        public void close() {
            transport.close();
            deleteKeys(prefix);
        }
    }

    /** A publisher only: the event type is registered, no handler (consumers are set up by each part). */
    Bench bench(RedisQueueSettings settings) {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.eventTypes().register(BenchEvent.class);
        return bench(settings, processor);
    }

    Bench bench(RedisQueueSettings settings, DomainEventsProcessor processor) {
        String prefix = freshPrefix("hexbus");
        return new Bench(prefix, RedisTransport.connect(RedisConnectionSettings.fromUrl(url),
                settings.withKeyPrefix(prefix), processor));
    }

    String freshPrefix(String part) {
        return base + ":" + part + (++partCounter);
    }

    static void awaitCompleted(RedisQueueAdmin admin, long n, long t0) throws InterruptedException {
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (admin.stats().completed() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all events completed within 5 minutes: "
                        + admin.stats());
            }
            Thread.sleep(20); // each poll is ~6 commands: keep them far below the events' own
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static BenchEvent event(long i) {
        return new BenchEvent(EventIds.newId(), Instant.now(), i, PAYLOAD);
    }

    static List<BenchEvent> events(int n) {
        List<BenchEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event(i));
        }
        return events;
    }

    static String[] ids(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = EventIds.newId().toString();
        }
        return ids;
    }

    static int scaled(int n) {
        return Math.max(100, (int) (n * SCALE) / 100 * 100);
    }

    /**
     * Publishes the events with publishAll of 100 at a time, from {@code threads} threads at once, each taking the
     * next 100 in turn; returns once all are published.
     */
    static void publishInHundreds(EventBus bus, List<BenchEvent> events, int threads)
            throws Exception {
        if (threads == 1) {
            for (int i = 0; i < events.size(); i += 100) {
                bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndAdd(100); i < events.size(); i = next.getAndAdd(100)) {
                        bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static double rate(int n, long t0) {
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    String serverInfo(String section, String field) {
        return redis.info(section).lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> l.substring(field.length() + 1).trim()).orElse("?");
    }

    long usedMemory() {
        return Long.parseLong(serverInfo("memory", "used_memory"));
    }

    long memoryUsage(String key) {
        Long bytes = redis.memoryUsage(key);
        return bytes == null ? -1 : bytes;
    }

    /** Per command: its calls under its name, and the microseconds Redis spent in it under "name µs". */
    Map<String, Long> commandStats() {
        Map<String, Long> stats = new HashMap<>();
        for (String line : redis.info("commandstats").lines().toList()) {
            if (line.startsWith("cmdstat_")) {
                String cmd = line.substring(8, line.indexOf(':'));
                stats.put(cmd, statOf(line, "calls="));
                stats.put(cmd + " µs", statOf(line, "usec="));
            }
        }
        return stats;
    }

    private static long statOf(String line, String field) {
        String rest = line.substring(line.indexOf(field) + field.length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
    }

    void deleteKeys(String prefix) {
        deleteKeys(redis, prefix);
    }

    /** Deletes every key under {@code prefix} (SCAN and UNLINK, a thousand at a time): a run's own, never others'. */
    static void deleteKeys(RedisCommands<String, String> redis, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
        do {
            KeyScanCursor<String> page = redis.scan(cursor, match);
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Deletes every key of this run and disconnects. */
    void close() {
        try {
            cleanUp();
        } finally {
            connection.close();
            client.shutdown();
        }
    }

    void cleanUp() {
        deleteKeys(base);
        System.out.println("Deleted every key under " + base);
    }

    String serverInfoSafe() {
        try (StatefulRedisConnection<String, String> c = RedisClient.create(url).connect()) {
            return c.sync().info("server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                    .orElse("?");
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
