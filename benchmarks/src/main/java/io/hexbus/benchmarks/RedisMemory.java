package io.hexbus.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueAdmin;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Issue 20's memory figure: Redis memory per waiting event, hexbus against the raw pair, in one run.
 *
 * <p>The <b>raw pair</b> is what a hand-written idempotent publish stores for the same event: {@code SET <P>:<id> 1
 * NX PX <window>} (the event id as the dedupe key, under the same prefix; the value {@code 1}, an integer Redis
 * shares) and {@code XADD <P>:stream * p <payload>} (the payload JSON, byte for byte the envelope's
 * {@code payload}, as the only field). <b>hexbus</b> is {@code EventBus.publishAll} of 100 at a time through
 * {@code publish.lua}, no worker started: every event waits. Both use a 22-character prefix, as long as the
 * default {@code hexbus:{domain-events}}, so key names cost what they cost in production.
 *
 * <p>Each run measures each side on a Redis of its own, empty: by default a private {@code redis-server --port
 * <free> --save '' --appendonly no} started for that side and stopped after it, so that both see the same
 * allocator state and hash-table sizes ({@code -Dbench.memoryRedis=url} measures against {@code REDIS_URL}
 * instead, deleting each side's keys after it: there the second side may find the key tables already grown;
 * {@code -Dbench.memoryRedisArgs="--stream-node-max-bytes 16384"} passes more arguments to the private servers).
 * Per event: {@code used_memory} delta / N, the stream's {@code MEMORY USAGE ... SAMPLES 0} / N, and one dedupe
 * key's {@code MEMORY USAGE}; median of {@code bench.runs} runs with min and max.
 */
final class RedisMemory {

    /** An order with a payload of 200 bytes of JSON (the note pads it; see {@link #NOTE_LENGTH}). */
    @EventName("bench.order-placed")
    public record OrderPlaced(UUID eventId, Instant occurredAt, String orderId, String customerId, String sku,
                              int quantity, long amountCents, String currency, String note) implements DomainEvent {
    }

    static final int PAYLOAD_BYTES = 200;
    private static final long WINDOW_MS = Duration.ofDays(7).toMillis();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final int n;
    private final int runs;
    private final boolean privateRedis;
    private final EventTypeRegistry types = new EventTypeRegistry();
    private final EventCodec codec;
    private final String note;

    RedisMemory(String url, int n, int runs, boolean privateRedis) {
        this.url = url;
        this.n = n;
        this.runs = runs;
        this.privateRedis = privateRedis;
        types.register(OrderPlaced.class);
        this.codec = EventCodec.of(types);
        int without = payloadOf(codec.encode(event(0, ""), Instant.now()).json()).length();
        this.note = "n".repeat(Math.max(0, PAYLOAD_BYTES - without));
    }

    OrderPlaced event(long i, String note) {
        return new OrderPlaced(EventIds.newId(), Instant.now(), String.format(Locale.ROOT, "order-%010d", i),
                String.format(Locale.ROOT, "customer-%08d", i % 100_000), "sku-" + (10_000 + i % 90_000), 2,
                11_900, "EUR", note);
    }

    static String payloadOf(String envelope) {
        try {
            return JSON.writeValueAsString(JSON.readTree(envelope).get("payload"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One side's figures of one run, per event. */
    record Side(double usedMemory, double stream, long dedupeKey, String dedupeEncoding, long streamNodes,
                Map<String, Object> more) {
    }

    /** Runs the measurement; returns what goes into the harness's JSON under "memory". */
    Map<String, Object> run() throws Exception {
        String sample = codec.encode(event(0, note), Instant.now()).json();
        String payload = payloadOf(sample);
        System.out.printf(Locale.ROOT, "  memory: %,d waiting events per side, %d runs, %s; payload %d B,"
                        + " hexbus envelope %d B:%n    %s%n", n, runs,
                privateRedis ? "a private redis-server per side and run" : "Redis at REDIS_URL",
                payload.getBytes(StandardCharsets.UTF_8).length, sample.getBytes(StandardCharsets.UTF_8).length,
                sample);
        List<Side> raw = new ArrayList<>();
        List<Side> hexbus = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            List<OrderPlaced> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(event(i, note));
            }
            raw.add(onRedis((u, c) -> raw(u, c, events)));
            hexbus.add(onRedis((u, c) -> hexbus(u, c, events)));
            System.out.printf(Locale.ROOT, "    run %d: raw pair %s%n           hexbus   %s%n", r,
                    describe(raw.get(r - 1)), describe(hexbus.get(r - 1)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventsPerSide", n);
        m.put("runs", runs);
        m.put("redis", privateRedis ? "private redis-server per side and run" : "REDIS_URL");
        m.put("payloadBytes", payload.getBytes(StandardCharsets.UTF_8).length);
        m.put("envelopeBytes", sample.getBytes(StandardCharsets.UTF_8).length);
        m.put("raw", summary(raw));
        m.put("hexbus", summary(hexbus));
        double ratio = median(hexbus, Side::usedMemory) / median(raw, Side::usedMemory);
        m.put("ratioUsedMemory", ratio);
        System.out.printf(Locale.ROOT, "  memory per waiting event, median of %d (min–max):%n"
                        + "    %-9s used_memory %s B, stream %s B, dedupe key %s B%n"
                        + "    %-9s used_memory %s B, stream %s B, dedupe key %s B%n"
                        + "    hexbus / raw pair (used_memory): %.3f×, goal ≤ 1.15×: %s%n", runs,
                "raw pair", spread(raw, Side::usedMemory), spread(raw, Side::stream), spread(raw, s -> s.dedupeKey),
                "hexbus", spread(hexbus, Side::usedMemory), spread(hexbus, Side::stream),
                spread(hexbus, s -> s.dedupeKey), ratio, ratio <= 1.15 ? "met" : "missed");
        return m;
    }

    interface Measure {
        Side on(String redisUrl, RedisCommands<String, String> redis) throws Exception;
    }

    /** Runs one side on a fresh private Redis, or on REDIS_URL, deleting its keys after. */
    private Side onRedis(Measure measure) throws Exception {
        if (!privateRedis) {
            return connected(url, measure);
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(System.getProperty("bench.redisServer", "redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        String more = System.getProperty("bench.memoryRedisArgs", ""); // e.g. "--stream-node-max-bytes 16384"
        if (!more.isBlank()) {
            command.addAll(Arrays.asList(more.trim().split("\\s+")));
        }
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String privateUrl = "redis://127.0.0.1:" + port;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    return connected(privateUrl, measure);
                } catch (io.lettuce.core.RedisConnectionException e) {
                    if (System.nanoTime() > deadline || !server.isAlive()) {
                        throw e;
                    }
                    Thread.sleep(50); // the server is starting: nothing to await but its port
                }
            }
        } finally {
            server.destroy(); // SIGTERM: redis-server exits, with nothing to save
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private Side connected(String redisUrl, Measure measure) throws Exception {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return measure.on(redisUrl, c.sync());
        } finally {
            client.shutdown();
        }
    }

    /** A prefix of 22 characters, as long as the default {@code hexbus:{domain-events}}, unique per side. */
    private static String prefix() {
        String tag = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        tag = (tag + "00000000000").substring(0, 11);
        return "hexbus:{m-" + tag + "}";
    }

    private Side raw(String redisUrl, RedisCommands<String, String> redis, List<OrderPlaced> events)
            throws Exception {
        String p = prefix();
        List<String> payloads = new ArrayList<>(events.size());
        for (OrderPlaced e : events) {
            payloads.add(payloadOf(codec.encode(e, Instant.now()).json()));
        }
        RedisClient client = RedisClient.create(redisUrl);
        long before;
        try (StatefulRedisConnection<String, String> pipe = client.connect()) {
            RedisAsyncCommands<String, String> async = pipe.async();
            pipe.setAutoFlushCommands(false);
            SetArgs nxPx = SetArgs.Builder.nx().px(WINDOW_MS);
            before = usedMemory(redis); // with the pipelining connection's own buffers already counted
            for (int i = 0; i < events.size(); i += 100) {
                List<RedisFuture<?>> futures = new ArrayList<>();
                for (int j = i; j < Math.min(events.size(), i + 100); j++) {
                    futures.add(async.set(p + ":" + events.get(j).eventId(), "1", nxPx));
                    futures.add(async.xadd(p + ":stream", "p", payloads.get(j)));
                }
                pipe.flushCommands();
                if (!LettuceFutures.awaitAll(Duration.ofMinutes(1), futures.toArray(RedisFuture[]::new))) {
                    throw new IllegalStateException("raw pair: a batch did not finish within a minute");
                }
            }
        } finally {
            client.shutdown();
        }
        long after = usedMemory(redis);
        String key = p + ":" + events.get(0).eventId();
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("dedupeKeyName", key.length());
        more.put("streamEntryValueBytes", Map.of("p", payloads.get(0).length()));
        Side side = side(redis, p + ":stream", key, before, after, events.size(), more);
        // Breakdown only (not in used_memory above): the same events' hexbus envelopes as the only field, to
        // tell the envelope's share of hexbus's stream from that of its other fields.
        String envelopeOnly = p + ":stream-e";
        for (OrderPlaced e : events) {
            redis.xadd(envelopeOnly, "e", codec.encode(e, Instant.now()).json());
        }
        more.put("streamOfEnvelopesOnlyPerEvent", (double) memoryUsage(redis, envelopeOnly) / events.size());
        cleanUp(redis, p);
        return side;
    }

    private Side hexbus(String redisUrl, RedisCommands<String, String> redis, List<OrderPlaced> events)
            throws Exception {
        String p = prefix();
        DomainEventsProcessor processor = new DomainEventsProcessor(types);
        processor.register(OrderPlaced.class, "bench.noop", (OrderPlaced e) -> { });
        RedisQueueSettings settings = RedisQueueSettings.defaults("bench").withKeyPrefix(p)
                .withMaintenanceInterval(Duration.ofSeconds(1));
        try (RedisTransport transport = RedisTransport.connect(RedisConnectionSettings.fromUrl(redisUrl),
                settings, processor)) {
            long before = usedMemory(redis);
            for (int i = 0; i < events.size(); i += 100) {
                transport.eventBus().publishAll(events.subList(i, Math.min(events.size(), i + 100)));
            }
            long after = usedMemory(redis);
            String key = p + ":dedupe:" + events.get(0).eventId();
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("dedupeKeyName", key.length());
            more.put("dedupeKeyValue", redis.get(key));
            var first = redis.xrange(p + ":stream", io.lettuce.core.Range.create("-", "+"),
                    io.lettuce.core.Limit.from(1)).get(0);
            Map<String, Integer> values = new LinkedHashMap<>();
            first.getBody().forEach((f, v) -> values.put(f, v.getBytes(StandardCharsets.UTF_8).length));
            more.put("streamEntryValueBytes", values);
            Side side = side(redis, p + ":stream", key, before, after, events.size(), more);
            // What the stream is after a worker finished every event and the trim cut it to keepFinishedCount.
            transport.startWorker();
            RedisQueueAdmin admin = transport.admin();
            RedisHarness.awaitCompleted(admin, events.size(), System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (redis.xlen(p + ":stream") > settings.keepFinishedCount() && System.nanoTime() < deadline) {
                Thread.sleep(200); // the trim runs every maintenanceInterval: nothing to await but its effect
            }
            more.put("streamLengthAfterTrim", redis.xlen(p + ":stream"));
            more.put("usedMemoryAfterTrimPerEvent", (double) (usedMemory(redis) - before) / events.size());
            more.put("streamAfterTrimBytes", memoryUsage(redis, p + ":stream"));
            transport.close();
            cleanUp(redis, p);
            return side;
        }
    }

    private Side side(RedisCommands<String, String> redis, String stream, String dedupeKey, long before, long after,
                      int count, Map<String, Object> more) {
        long nodes = 0;
        List<Object> info = redis.xinfoStream(stream);
        for (int i = 0; i + 1 < info.size(); i += 2) {
            if ("radix-tree-keys".equals(String.valueOf(info.get(i)))) {
                nodes = ((Number) info.get(i + 1)).longValue();
            }
        }
        more.put("streamEncoding", redis.objectEncoding(stream));
        more.put("streamListpackNodes", nodes);
        more.put("entriesPerNode", (double) count / nodes);
        return new Side((double) (after - before) / count, (double) memoryUsage(redis, stream) / count,
                memoryUsage(redis, dedupeKey), redis.objectEncoding(dedupeKey), nodes, more);
    }

    private void cleanUp(RedisCommands<String, String> redis, String p) {
        if (!privateRedis) {
            RedisHarness.deleteKeys(redis, p);
        }
    }

    static long usedMemory(RedisCommands<String, String> redis) {
        return redis.info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst()
                .map(l -> Long.parseLong(l.substring("used_memory:".length()).trim())).orElseThrow();
    }

    /** {@code MEMORY USAGE key SAMPLES 0}: every node of a stream counted, not an estimate from five. */
    static long memoryUsage(RedisCommands<String, String> redis, String key) {
        Long bytes = redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
        return bytes == null ? -1 : bytes;
    }

    private static String describe(Side s) {
        return String.format(Locale.ROOT, "used_memory %.1f B/event, stream %.1f B/event (%d listpack nodes),"
                + " dedupe key %d B (%s) %s", s.usedMemory, s.stream, s.streamNodes, s.dedupeKey, s.dedupeEncoding,
                s.more);
    }

    interface Value {
        double of(Side s);
    }

    private static double median(List<Side> sides, Value v) {
        double[] a = sides.stream().mapToDouble(v::of).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String spread(List<Side> sides, Value v) {
        double[] a = sides.stream().mapToDouble(v::of).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", median(sides, v), a[0], a[a.length - 1]);
    }

    private static Map<String, Object> summary(List<Side> sides) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usedMemoryPerEvent", stats(sides, Side::usedMemory));
        m.put("streamPerEvent", stats(sides, Side::stream));
        m.put("dedupeKey", stats(sides, s -> s.dedupeKey));
        m.put("dedupeKeyEncoding", sides.get(0).dedupeEncoding);
        m.put("details", sides.get(sides.size() - 1).more);
        return m;
    }

    private static Map<String, Object> stats(List<Side> sides, Value v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", median(sides, v));
        m.put("min", sides.stream().mapToDouble(v::of).min().orElse(Double.NaN));
        m.put("max", sides.stream().mapToDouble(v::of).max().orElse(Double.NaN));
        m.put("runs", Arrays.toString(sides.stream().mapToDouble(v::of).toArray()));
        return m;
    }
}
