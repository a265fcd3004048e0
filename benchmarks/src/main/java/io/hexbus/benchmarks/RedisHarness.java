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
 * count with {@code -Dbench.e2e=N} (default 100,000); {@code -Dbench.parts=ceiling,publish,e2e,latency,memory}
 * picks parts.
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
        this(url, new Figures(RUNS, Figures.WarmUp.ONCE));
    }

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
        if (parts.contains("ceiling")) {
            ceilings();
        }
        if (parts.contains("publish")) {
            publishing();
        }
        if (parts.contains("e2e")) {
            endToEnd(Integer.getInteger("bench.e2e", scaled(100_000)), new int[][] {{1, 1}, {1, 4}, {2, 4}}, "");
        }
        figures.warmUp(null); // the latency and memory parts have warm-ups of their own
        if (parts.contains("latency")) {
            latency();
        }
        if (parts.contains("memory")) {
            memory();
        }
    }

    // ---------------------------------------------------------------- ceilings: raw Lettuce, no hexbus

    static final String TINY_SCRIPT = """
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return redis.call('XADD', KEYS[1], '*', 'i', ARGV[1], 'n', ARGV[3], 'e', ARGV[4])
            end
            return ''
            """;

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
            return rate(oneByOne, t0);
        });
        figures.measure("raw XADD, pipelined (1,000 in flight, manual flush)", "events/s", null, null, "", () -> {
            String stream = freshPrefix("ceil") + ":stream";
            String[] ids = ids(pipelined);
            CpuSnapshot before = cpuSnapshot(null);
            long t0 = System.nanoTime();
            double rate = pipelinedRate(pipelined, (async, i) -> async.xadd(stream, "i", ids[i], "n",
                    "bench.redis-event", "e", sampleJson));
            Map<String, Double> cpu = cpuSnapshot(null).perEventMicros(before, pipelined, (System.nanoTime() - t0) / 1e9);
            extra.put("cpuMicrosPerEvent_pipelinedXadd", new java.util.TreeMap<>(cpu));
            System.out.println("  CPU per event, µs: " + new java.util.TreeMap<>(cpu));
            return rate;
        });
        figures.measure("raw EVALSHA SET NX + XADD, one by one (sync)", "events/s", null, null, "", () -> {
            String prefix = freshPrefix("ceil");
            String stream = prefix + ":stream";
            String[] ids = ids(oneByOne);
            long t0 = System.nanoTime();
            for (String id : ids) {
                redis.evalsha(sha, ScriptOutputType.VALUE, new String[] {stream, prefix + ":dedupe:" + id}, id,
                        "604800000", "bench.redis-event", sampleJson);
            }
            return rate(oneByOne, t0);
        });
        figures.measure("raw EVALSHA SET NX + XADD, pipelined (1,000 in flight)", "events/s", null, null, "", () -> {
            String prefix = freshPrefix("ceil");
            String stream = prefix + ":stream";
            String[] ids = ids(pipelined / 2);
            return pipelinedRate(ids.length, (async, i) -> async.evalsha(sha, ScriptOutputType.VALUE,
                    new String[] {stream, prefix + ":dedupe:" + ids[i]}, ids[i], "604800000", "bench.redis-event",
                    sampleJson));
        });
    }

    interface AsyncOp {
        RedisFuture<?> send(RedisAsyncCommands<String, String> async, int i);
    }

    double pipelinedRate(int n, AsyncOp op) {
        try (StatefulRedisConnection<String, String> pipe = client.connect()) {
            pipe.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> async = pipe.async();
            RedisFuture<?>[] window = new RedisFuture<?>[1_000];
            long t0 = System.nanoTime();
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
            return rate(n, t0);
        }
    }

    // ---------------------------------------------------------------- hexbus publish

    void publishing() throws Exception {
        int oneByOne = scaled(5_000);
        int batched = scaled(50_000);
        int threaded = scaled(20_000);
        figures.measure("hexbus publish, one by one (1 thread)", "events/s", "raw EVALSHA SET NX + XADD, one by one (sync)",
                0.90, "", () -> {
                    try (Bench b = bench(RedisQueueSettings.defaults("bench"))) {
                        List<BenchEvent> events = events(oneByOne);
                        long t0 = System.nanoTime();
                        for (BenchEvent e : events) {
                            b.bus.publish(e);
                        }
                        return rate(oneByOne, t0);
                    }
                });
        figures.measure("hexbus publishAll, batches of 100", "events/s",
                "raw EVALSHA SET NX + XADD, pipelined (1,000 in flight)", 0.90, "", () -> {
                    try (Bench b = bench(RedisQueueSettings.defaults("bench"))) {
                        List<BenchEvent> events = events(batched);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < events.size(); i += 100) {
                            b.bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
                        }
                        return rate(batched, t0);
                    }
                });
        figures.measure("hexbus publish from 8 threads", "events/s", "raw EVALSHA SET NX + XADD, pipelined (1,000 in flight)",
                null, "", () -> {
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

    /**
     * N events published with {@code publishAll(100)} from this JVM, consumed by worker processes
     * ({@link BenchWorker}) with a no-op handler: events per second from the first publish until the group's
     * completed counter reaches N. The workers are started once per configuration and serve its warm-up run
     * and its measured runs, so the JIT has compiled their paths. Also prints the CPU time each party spent
     * per event (this machine has 2 cores for all of them) and the Redis commands per event.
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
            Map<String, Double> perEvent = new HashMap<>();
            Map<String, Double> cpu = new HashMap<>();
            try (Bench b = bench(RedisQueueSettings.defaults("bench"));
                 WorkerProcesses workers = new WorkerProcesses(BenchWorker.class, processes, List.of(url, b.prefix,
                         Integer.toString(slots)))) {
                figures.measure(namePrefix + "end to end, " + label + ", N=" + n, "events/s",
                        "raw XADD, pipelined (1,000 in flight, manual flush)",
                        namePrefix.isEmpty() ? 0.30 : null, "", () -> { // no target beside another harness's ceilings
                            List<BenchEvent> events = events(n);
                            long done = b.admin.stats().completed();
                            Map<String, Long> before = commandStats();
                            CpuSnapshot cpuBefore = cpuSnapshot(workers);
                            long t0 = System.nanoTime();
                            publishInHundreds(b.bus, events, publishers);
                            double publishSeconds = (System.nanoTime() - t0) / 1e9;
                            awaitCompleted(b.admin, done + n, t0);
                            double seconds = (System.nanoTime() - t0) / 1e9;
                            System.out.printf(Locale.ROOT, "    published all in %.2f s (%,.0f/s), all acknowledged"
                                    + " after %.2f s%n", publishSeconds, n / publishSeconds, seconds);
                            CpuSnapshot cpuAfter = cpuSnapshot(workers);
                            Map<String, Long> after = commandStats();
                            perEvent.clear();
                            after.forEach((cmd, calls) -> {
                                long d = calls - before.getOrDefault(cmd, 0L);
                                if (d > 0) {
                                    perEvent.put(cmd, (double) d / n);
                                }
                            });
                            cpu.clear();
                            cpu.putAll(cpuAfter.perEventMicros(cpuBefore, n, seconds));
                            return n / seconds;
                        });
            }
            String key = "endToEnd_" + processes + "x" + slots;
            extra.put("commandsPerEvent_" + key, new java.util.TreeMap<>(perEvent));
            extra.put("cpuMicrosPerEvent_" + key, new java.util.TreeMap<>(cpu));
            System.out.println("  Redis commands per event and the µs Redis spent in them per event (INFO"
                    + " commandstats diff, last run; scripts' µs include the commands they call): "
                    + new java.util.TreeMap<>(perEvent));
            System.out.println("  CPU per event, µs (last run): " + new java.util.TreeMap<>(cpu));
        }
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

    void memory() throws Exception {
        int n = scaled(100_000);
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(BenchEvent.class, "bench.noop", (BenchEvent e) -> { });
        RedisQueueSettings settings = RedisQueueSettings.defaults("bench")
                .withMaintenanceInterval(Duration.ofSeconds(1));
        try (Bench b = bench(settings, processor)) {
            List<BenchEvent> events = events(n);
            long before = usedMemory();
            for (int i = 0; i < events.size(); i += 100) {
                b.bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
            }
            long retained = usedMemory();
            long streamBytes = memoryUsage(b.prefix + ":stream");
            long dedupeBytes = memoryUsage(b.prefix + ":dedupe:" + events.get(0).eventId());
            b.transport.startWorker();
            awaitCompleted(b.admin, n, System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (redis.xlen(b.prefix + ":stream") > settings.keepFinishedCount() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long trimmedLength = redis.xlen(b.prefix + ":stream");
            long trimmed = usedMemory();
            long streamAfter = memoryUsage(b.prefix + ":stream");
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("events", n);
            m.put("usedMemoryDeltaRetainedBytes", retained - before);
            m.put("streamBytesRetained", streamBytes);
            m.put("oneDedupeKeyBytes", dedupeBytes);
            m.put("streamLengthAfterTrim", trimmedLength);
            m.put("usedMemoryDeltaAfterTrimBytes", trimmed - before);
            m.put("streamBytesAfterTrim", streamAfter);
            extra.put("memory", m);
            System.out.printf(Locale.ROOT, "  memory, %,d events retained: used_memory +%.1f MiB (stream %.1f MiB,"
                    + " one dedupe key %d B); after trimming to %,d entries: used_memory +%.1f MiB (stream %.2f MiB;"
                    + " the dedupe keys stay for the 7-day window)%n", n, mib(retained - before), mib(streamBytes),
                    dedupeBytes, trimmedLength, mib(trimmed - before), mib(streamAfter));
        }
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
