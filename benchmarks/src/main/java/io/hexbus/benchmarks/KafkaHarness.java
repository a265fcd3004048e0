package io.hexbus.benchmarks;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.benchmarks.Figures.Spec;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaEventBus;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.testing.KafkaCluster;
import io.hexbus.redis.RedisQueueSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Kafka transport measured against the raw clients on the same broker, in one run, and beside the Redis
 * transport's end to end on this machine (issue 15). Prints a table and writes
 * {@code benchmarks/target/kafka-results.json}.
 *
 * <ul>
 *   <li><b>publish</b>: {@code KafkaEventBus.publish} one by one against a raw {@code send(...).get()} of the same
 *       record (key, headers, envelope) with the same producer settings ({@code acks=all}, idempotent, no linger);
 *       {@code publishAll(100)} (one transaction each) against a raw transaction of 100 sends and a raw
 *       non-transactional batch of 100 with one {@code flush()}. Each figure measured in the same rounds as its
 *       ceilings, the raw one-by-one and transaction loops both before and after hexbus's.</li>
 *   <li><b>e2e</b>: for 1, 2 and 4 worker processes ({@link KafkaBenchWorker}, 4 slots each, no-op handler) on an
 *       events topic of 8 partitions, in rounds of three: (1) N events written in one raw transaction (the records
 *       hexbus writes) while the workers are assigned and polling, then committed: the time from the commit until
 *       the group's committed offsets pass every record; (2) the Redis harness's method: N events published with
 *       {@code publishAll(100)} while the workers consume, until all are committed; (3) a raw
 *       {@link KafkaConsumer} (1 consumer, its own group, {@code read_committed}, {@code commitSync} after each poll)
 *       reads the same 2 N records: the raw consumer ceiling. With the part {@code redis}, the Redis transport's end
 *       to end follows at each worker count, by {@link RedisHarness}'s own code.</li>
 * </ul>
 *
 * <p>Every figure is warmed until stable (untimed rounds until two in a row are within 10% for every figure of the
 * round, at least {@code -Dbench.warmupMin}, default 2, and at most {@code -Dbench.warmupMax}, default 4), then measured {@code -Dbench.runs} times
 * (default 3). The broker: {@code KAFKA_BOOTSTRAP_SERVERS}, else one KRaft node started in a child JVM by the Kafka
 * tests' fixture ({@link KafkaCluster}) with Kafka's own start script's JVM options (C2, 1 GiB heap, G1) and
 * stopped at the end. Topics are {@code hexbus-bench-<random>.*} and deleted at the end, as are the groups; Redis
 * keys as {@link RedisHarness} does (never a flush).
 */
public final class KafkaHarness {

    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final String GROUP = "bench";
    static final int SLOTS = Integer.getInteger("bench.slots", 4);
    /** Threads publishing at once in the "while consuming" figures, Kafka's and Redis's alike. */
    static final int PUBLISHERS = Integer.getInteger("bench.publishers", 4);
    /** Kafka's own start script's JVM options (kafka-server-start.sh, kafka-run-class.sh). */
    static final String BROKER_JVM = System.getProperty("bench.brokerJvmArgs",
            "-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35");

    private final String servers;
    private final KafkaConnectionSettings connection;
    private final String base;
    private final Admin admin;
    private final EventCodec codec;
    private final Figures figures;
    private final int brokers;
    private final int replicas;
    private final int minInsync;
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private int partCounter;

    KafkaHarness(String servers) throws Exception {
        this.servers = servers;
        this.connection = KafkaConnectionSettings.parse(servers);
        this.base = "hexbus-bench-" + UUID.randomUUID().toString().substring(0, 8);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
        EventTypeRegistry types = new EventTypeRegistry();
        types.register(BenchEvent.class);
        this.codec = EventCodec.of(types);
        int warmupMax = Integer.getInteger("bench.warmupMax", 4);
        int warmupMin = Math.min(Integer.getInteger("bench.warmupMin", 2), warmupMax);
        this.figures = new Figures(RUNS, new Figures.WarmUp(warmupMin, warmupMax, 0.10));
        this.brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        this.replicas = Math.min(3, brokers);
        this.minInsync = Math.max(1, replicas - 1);
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // the clients' INFO drowns the table
        }
        String parts = System.getProperty("bench.parts", "publish,e2e,redis");
        String servers = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        KafkaCluster cluster = null;
        if (servers == null || servers.isBlank()) {
            Path target = Path.of("benchmarks", "target");
            Path log = (Files.isDirectory(target) ? target : Path.of(".")).resolve("kafka-broker.log")
                    .toAbsolutePath();
            cluster = KafkaCluster.start(1, node -> log, List.of(BROKER_JVM.trim().split("\\s+")));
            servers = cluster.bootstrapServers();
            System.out.println("Started a KRaft broker at " + servers + " (" + BROKER_JVM + "), log " + log);
        }
        KafkaHarness harness = new KafkaHarness(servers);
        try {
            harness.run(parts);
        } finally {
            harness.cleanUp();
            if (cluster != null) {
                cluster.close();
            }
        }
        harness.figures.report("\"kafka\": \"" + servers + "\",\n  \"scale\": " + RedisHarness.SCALE,
                "kafka-results.json");
    }

    void run(String parts) throws Exception {
        System.out.printf(Locale.ROOT, "Kafka at %s (%d broker(s), replication %d, min.insync %d), topics %s.*, %d"
                + " runs per figure, scale %.2f, %d cores, load %s%n", servers, brokers,
                replicas, minInsync, base, RUNS, RedisHarness.SCALE, Runtime.getRuntime().availableProcessors(),
                loadAverage());
        System.out.println("Envelope of one event: " + codec.encode(RedisHarness.event(0), Instant.now()).json()
                .getBytes(StandardCharsets.UTF_8).length + " bytes");
        if (parts.contains("publish")) {
            publishing();
        }
        if (parts.contains("e2e") || parts.contains("redis")) {
            int n = Integer.getInteger("bench.e2e", RedisHarness.scaled(10_000));
            figures.extra.put("kafkaEndToEndEvents", n);
            String[] counts = System.getProperty("bench.workers", "1,2,4").split(",");
            for (String count : counts) {
                int processes = Integer.parseInt(count.trim());
                if (parts.contains("e2e")) {
                    endToEnd(n, processes, parts.contains("redis"));
                } else if (parts.contains("redis")) {
                    redis(n, processes);
                }
            }
        }
        System.out.println("Load average at the end: " + loadAverage());
    }

    // ---------------------------------------------------------------- publish

    void publishing() throws Exception {
        int oneByOne = RedisHarness.scaled(1_000);
        int batched = RedisHarness.scaled(10_000);
        KafkaQueueSettings settings = settings(prefix("pub"));
        String topic = settings.eventsTopic();
        try (KafkaEventBus bus = KafkaEventBus.connect(connection, settings, codec, new DeliveryObserver() { });
             KafkaProducer<String, String> raw = new KafkaProducer<>(producerConfig(null, 0));
             KafkaProducer<String, String> rawTx = new KafkaProducer<>(producerConfig(settings.topicPrefix()
                     + ".raw-tx", 60_000))) { // hexbus's transaction timeout: 6 command timeouts
            rawTx.initTransactions();
            String rawOne = "Kafka raw send().get(), one by one (acks=all, idempotent)";
            figures.measureTogether(List.of(
                    new Spec(rawOne, "events/s", null, null, oneByOne + " records"),
                    new Spec("Kafka hexbus publish, one by one", "events/s", rawOne, null, oneByOne + " events"),
                    new Spec(rawOne + ", again after hexbus", "events/s", null, null, oneByOne + " records")),
                    () -> {
                        List<ProducerRecord<String, String>> records = records(topic, oneByOne);
                        long t0 = System.nanoTime();
                        for (ProducerRecord<String, String> record : records) {
                            raw.send(record).get(30, TimeUnit.SECONDS);
                        }
                        double rawRate = RedisHarness.rate(oneByOne, t0);
                        List<BenchEvent> events = RedisHarness.events(oneByOne);
                        long t1 = System.nanoTime();
                        for (BenchEvent e : events) {
                            bus.publish(e);
                        }
                        double hexbus = RedisHarness.rate(oneByOne, t1);
                        records = records(topic, oneByOne);
                        long t2 = System.nanoTime();
                        for (ProducerRecord<String, String> record : records) {
                            raw.send(record).get(30, TimeUnit.SECONDS);
                        }
                        return new double[] {rawRate, hexbus, RedisHarness.rate(oneByOne, t2)};
                    });
            String rawTx100 = "Kafka raw transaction of 100 sends";
            figures.measureTogether(List.of(
                    new Spec(rawTx100, "events/s", null, null, batched + " records"),
                    new Spec("Kafka raw batch of 100 sends + flush(), no transaction", "events/s", null, null,
                            batched + " records"),
                    new Spec("Kafka hexbus publishAll(100)", "events/s", rawTx100, null, batched + " events"),
                    new Spec(rawTx100 + ", again after hexbus", "events/s", null, null, batched + " records")),
                    () -> {
                        List<ProducerRecord<String, String>> records = records(topic, batched);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < batched; i += 100) {
                            rawTx.beginTransaction();
                            for (ProducerRecord<String, String> record : records.subList(i, Math.min(batched,
                                    i + 100))) {
                                rawTx.send(record);
                            }
                            rawTx.commitTransaction(); // flushes first; fails if a send failed
                        }
                        double tx = RedisHarness.rate(batched, t0);
                        records = records(topic, batched);
                        List<Future<RecordMetadata>> sent = new ArrayList<>(100);
                        long t1 = System.nanoTime();
                        for (int i = 0; i < batched; i += 100) {
                            sent.clear();
                            for (ProducerRecord<String, String> record : records.subList(i, Math.min(batched,
                                    i + 100))) {
                                sent.add(raw.send(record));
                            }
                            raw.flush();
                            for (Future<RecordMetadata> f : sent) {
                                f.get(30, TimeUnit.SECONDS);
                            }
                        }
                        double batch = RedisHarness.rate(batched, t1);
                        List<BenchEvent> events = RedisHarness.events(batched);
                        long t2 = System.nanoTime();
                        for (int i = 0; i < batched; i += 100) {
                            bus.publishAll(events.subList(i, Math.min(batched, i + 100)));
                        }
                        double hexbus = RedisHarness.rate(batched, t2);
                        records = records(topic, batched);
                        long t3 = System.nanoTime();
                        for (int i = 0; i < batched; i += 100) {
                            rawTx.beginTransaction();
                            for (ProducerRecord<String, String> record : records.subList(i, Math.min(batched,
                                    i + 100))) {
                                rawTx.send(record);
                            }
                            rawTx.commitTransaction();
                        }
                        return new double[] {tx, batch, hexbus, RedisHarness.rate(batched, t3)};
                    });
        }
    }

    // ---------------------------------------------------------------- end to end

    /**
     * @param withRedis also the Redis transport in the same rounds, with the same two methods (pre-published, and
     *                  {@code publishAll(100)} from {@link #PUBLISHERS} threads while consuming), by its own worker
     *                  processes ({@link BenchWorker}) started beside the Kafka ones
     */
    void endToEnd(int n, int processes, boolean withRedis) throws Exception {
        String label = processes + " worker process" + (processes > 1 ? "es" : "") + " × " + SLOTS + " slots";
        KafkaQueueSettings settings = settings(prefix("e2e" + processes));
        String topic = settings.eventsTopic();
        String group = settings.consumerGroupId();
        String rawGroup = settings.topicPrefix() + ".raw";
        groups.add(group);
        groups.add(rawGroup);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < settings.partitions(); p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.eventTypes().register(BenchEvent.class);
        Map<String, Double> cpu = new TreeMap<>();
        Map<String, Double> rawCpu = new TreeMap<>();
        System.out.println("Kafka end to end, " + label + ", N=" + n + ", topic " + topic
                + (withRedis ? ", Redis in the same rounds at " + redisUrl() : ""));
        Map<String, Double> redisCpu = new TreeMap<>();
        RedisHarness redis = withRedis ? new RedisHarness(redisUrl(), figures) : null; // not AutoCloseable
        try (RedisHarness.Bench redisBench = withRedis ? redis.bench(RedisQueueSettings.defaults("bench")) : null;
             WorkerProcesses redisWorkers = withRedis ? new WorkerProcesses(BenchWorker.class, processes,
                     List.of(redisUrl(), redisBench.prefix, Integer.toString(SLOTS))) : null;
             KafkaTransport transport = KafkaTransport.connect(connection, settings, processor);
             WorkerProcesses workers = new WorkerProcesses(KafkaBenchWorker.class, processes, List.of(servers,
                     settings.topicPrefix(), GROUP, Integer.toString(SLOTS), Integer.toString(replicas),
                     Integer.toString(minInsync)));
             KafkaProducer<String, String> loader = new KafkaProducer<>(producerConfig(settings.topicPrefix()
                     + ".loader", 300_000)); // its one transaction holds N records
             KafkaConsumer<String, String> raw = new KafkaConsumer<>(rawConsumerConfig(rawGroup),
                     new StringDeserializer(), new StringDeserializer())) {
            loader.initTransactions();
            raw.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (raw.assignment().size() < partitions.size()) {
                raw.poll(Duration.ofMillis(100)); // the topic is empty: this only joins the group
                check(deadline, "the raw consumer was not assigned the partitions");
            }
            awaitStable(group, processes);
            String rawName = "Kafka raw KafkaConsumer ceiling, 1 consumer, 2N=" + 2 * n + " (block of " + label + ")";
            String kafkaPre = "Kafka hexbus end to end, pre-published, " + label + ", N=" + n;
            String kafkaWhile = "Kafka hexbus end to end, publishAll(100) × " + PUBLISHERS + " threads while consuming, "
                    + label + ", N=" + n;
            List<Spec> specs = new ArrayList<>(List.of(
                    new Spec(kafkaPre, "events/s", rawName,
                            processes == 1 ? 0.50 : null, "from the commit of one transaction of N until the group"
                            + " committed them all"),
                    new Spec(kafkaWhile, "events/s", null, null, "the Redis harness's method: from the first publish"
                            + " until all committed"),
                    new Spec(rawName, "events/s", null, null, "the records of both hexbus figures of the round;"
                            + " read_committed, commitSync after each poll")));
            if (withRedis) {
                // Each Redis figure's "ceiling" is the Kafka figure of the same method: its ratio is Redis ÷ Kafka.
                specs.add(new Spec("Redis hexbus end to end, pre-published, " + label + ", N=" + n, "events/s",
                        kafkaPre, null, "N events in one publishAll (one atomic script: the workers see none of them"
                        + " until all are there), from its return until the completed counter reaches N"));
                specs.add(new Spec("Redis hexbus end to end, publishAll(100) × " + PUBLISHERS + " threads while"
                        + " consuming, " + label + ", N=" + n, "events/s", kafkaWhile, null, "from the first publish"
                        + " until the completed counter reaches N"));
            }
            measureCounted(label, specs,
                    () -> {
                        // Hexbus's figures and the raw consumer on the same records, in this order, each round.
                        // 1. N records written in one transaction while the workers poll; visible at its commit.
                        loader.beginTransaction();
                        for (ProducerRecord<String, String> record : records(topic, n)) {
                            loader.send(record);
                        }
                        loader.flush();
                        Map<TopicPartition, Long> written = endOffsets(partitions); // every record is in the log
                        CpuSnapshot before = cpuSnapshot(workers);
                        long t0 = System.nanoTime();
                        loader.commitTransaction();
                        awaitCommitted(group, written, t0);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        cpu.clear();
                        cpu.putAll(cpuSnapshot(workers).perEventMicros(before, n, seconds));
                        double hexbus = n / seconds;
                        // 2. The Redis harness's method: publishAll(100) while the workers consume.
                        List<BenchEvent> events = RedisHarness.events(n);
                        long t1 = System.nanoTime();
                        RedisHarness.publishInHundreds(transport.eventBus(), events, PUBLISHERS);
                        awaitCommitted(group, endOffsets(partitions), t1);
                        double overlapped = RedisHarness.rate(n, t1);
                        // 3. The raw consumer reads the same 2 N records, all committed and there.
                        CpuSnapshot rawBefore = cpuSnapshot(workers);
                        long t2 = System.nanoTime();
                        long got = 0;
                        while (got < 2L * n) {
                            ConsumerRecords<String, String> records = raw.poll(Duration.ofMillis(100));
                            if (!records.isEmpty()) {
                                got += records.count();
                                raw.commitSync();
                            }
                            check(t2 + TimeUnit.MINUTES.toNanos(5), "the raw consumer read " + got + " of " + 2 * n);
                        }
                        double rawRate = RedisHarness.rate(2 * n, t2);
                        rawCpu.clear();
                        rawCpu.putAll(cpuSnapshot(workers).perEventMicros(rawBefore, 2 * n,
                                (System.nanoTime() - t2) / 1e9));
                        if (!withRedis) {
                            return new double[] {hexbus, overlapped, rawRate};
                        }
                        // 4. Redis, pre-published: one atomic publishAll of N, the workers blocked meanwhile.
                        List<BenchEvent> redisEvents = RedisHarness.events(n);
                        long done = redisBench.admin.stats().completed();
                        redisBench.bus.publishAll(redisEvents);
                        RedisHarness.CpuSnapshot redisBefore = redis.cpuSnapshot(redisWorkers);
                        long t3 = System.nanoTime();
                        awaitRedisCompleted(redisBench, done + n, t3);
                        double redisPre = RedisHarness.rate(n, t3);
                        redisCpu.clear();
                        redisCpu.putAll(redis.cpuSnapshot(redisWorkers).perEventMicros(redisBefore, n,
                                (System.nanoTime() - t3) / 1e9));
                        // 5. Redis, publishAll(100) from the same threads while its workers consume.
                        redisEvents = RedisHarness.events(n);
                        long t4 = System.nanoTime();
                        RedisHarness.publishInHundreds(redisBench.bus, redisEvents, PUBLISHERS);
                        awaitRedisCompleted(redisBench, done + 2L * n, t4);
                        double redisWhile = RedisHarness.rate(n, t4);
                        return new double[] {hexbus, overlapped, rawRate, redisPre, redisWhile};
                    });
            figures.extra.put("kafkaCpuMicrosPerEvent_prePublished_" + processes + "x" + SLOTS, new TreeMap<>(cpu));
            figures.extra.put("kafkaCpuMicrosPerEvent_rawConsumer_" + processes + "x" + SLOTS, new TreeMap<>(rawCpu));
            System.out.println("  CPU per event of the pre-published end to end, µs (last run): " + cpu);
            System.out.println("  CPU per event of the raw consumer, µs (last run; harnessJvm is the consumer): "
                    + rawCpu);
            if (withRedis) {
                figures.extra.put("redisCpuMicrosPerEvent_prePublished_" + processes + "x" + SLOTS,
                        new TreeMap<>(redisCpu));
                System.out.println("  CPU per event of Redis's pre-published end to end, µs (last run): " + redisCpu);
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /**
     * {@link Figures#measureTogether} (its warm-up rule: untimed rounds until two in a row are within the tolerance
     * for every figure of the round, between its minimum and maximum), printing and recording how many warm-up rounds
     * it took.
     */
    void measureCounted(String label, List<Spec> specs, Figures.Round round) throws Exception {
        int[] rounds = {0};
        figures.measureTogether(specs, () -> {
            rounds[0]++;
            return round.once();
        });
        int warmUps = rounds[0] - figures.runs;
        System.out.printf(Locale.ROOT, "  %s: %d warm-up round(s) taken, then %d measured%n", label, warmUps,
                figures.runs);
        figures.extra.put("warmUpRounds_" + label.replace(' ', '_'), warmUps);
    }

    /** Waits until the Redis transport's completed counter reaches {@code n} (polled every 10 ms, as Kafka's). */
    static void awaitRedisCompleted(RedisHarness.Bench bench, long n, long t0) throws InterruptedException {
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (bench.admin.stats().completed() < n) {
            check(deadline, "not all Redis events completed within 5 minutes: " + bench.admin.stats());
            Thread.sleep(10);
        }
    }

    static String redisUrl() {
        String url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        return url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }

    void redis(int n, int processes) throws Exception {
        RedisHarness redis = new RedisHarness(redisUrl(), figures);
        System.out.println("Redis end to end (RedisHarness), " + processes + " × " + SLOTS + ", N=" + n + ", Redis "
                + redis.serverInfo("server", "redis_version"));
        try {
            redis.endToEnd(n, new int[][] {{processes, SLOTS}}, "Redis ", PUBLISHERS);
        } finally {
            redis.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    KafkaQueueSettings settings(String prefix) {
        return KafkaQueueSettings.defaults(GROUP).withTopicPrefix(prefix).withReplication(replicas, minInsync);
    }

    String prefix(String part) {
        String prefix = base + "." + part + (++partCounter);
        prefixes.add(prefix);
        return prefix;
    }

    /** The records hexbus writes for N new events: key = id, headers name and id, value = the envelope. */
    List<ProducerRecord<String, String>> records(String topic, int n) {
        List<EncodedEvent> encoded = codec.encodeAll(RedisHarness.events(n), Instant.now());
        List<ProducerRecord<String, String>> records = new ArrayList<>(n);
        for (EncodedEvent e : encoded) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(KafkaEventBus.NAME_HEADER, e.name().getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaEventBus.ID_HEADER, e.eventId().toString().getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(topic, null, e.eventId().toString(), e.json(), headers));
        }
        return records;
    }

    /** hexbus's producer settings (KafkaCalls.producerConfig, default command timeout of 10 s). */
    Map<String, Object> producerConfig(String transactionalId, int transactionTimeoutMs) {
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMs);
        }
        return config;
    }

    /** As a hexbus worker's consumer reads: committed records only, no auto commit, fetches held up to 100 ms. */
    Map<String, Object> rawConsumerConfig(String group) {
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000); // idle while the workers are measured
        return config;
    }

    /**
     * The high watermarks: past every record acknowledged so far, committed or not. Not the last stable offsets: a
     * transaction's commit returns before its markers are written, so those may still be short of its records.
     */
    Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p,
                p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                .get(30, TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
        return end;
    }

    /** Waits until the group's committed offsets reach {@code end} on every partition (polled every 10 ms). */
    void awaitCommitted(String group, Map<TopicPartition, Long> end, long t0) throws Exception {
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            boolean done = end.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue() == 0 || c != null && c.offset() >= e.getValue();
            });
            if (done) {
                return;
            }
            check(deadline, "group " + group + " did not commit up to " + end + " within 5 minutes: " + committed);
            Thread.sleep(10);
        }
    }

    /** Waits until the workers' group is stable with every worker holding partitions. */
    void awaitStable(String group, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                    .get(group);
            if (d.groupState() == GroupState.STABLE && d.members().size() == members
                    && d.members().stream().map(MemberDescription::assignment)
                    .allMatch(a -> !a.topicPartitions().isEmpty())) {
                return;
            }
            check(deadline, "group " + group + " is not stable with " + members + " members: " + d);
            Thread.sleep(100);
        }
    }

    static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what);
        }
    }

    /** CPU time spent so far by the broker (when this JVM started it), this JVM and the worker processes. */
    record CpuSnapshot(double broker, double harness, double workers) {
        Map<String, Double> perEventMicros(CpuSnapshot before, int n, double wallSeconds) {
            double b = broker - before.broker;
            double h = harness - before.harness;
            double w = workers - before.workers;
            return Map.of("broker", b / n * 1e6, "harnessJvm", h / n * 1e6, "workerJvms", w / n * 1e6,
                    "coresBusy", (b + h + w) / wallSeconds);
        }
    }

    CpuSnapshot cpuSnapshot(WorkerProcesses workers) {
        double broker = ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("KafkaNodeMain"))
                        .orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9).sum();
        double self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        return new CpuSnapshot(broker, self, workers.cpu().toNanos() / 1e9);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    void cleanUp() {
        try {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(base + ".")).collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            }
            if (!groups.isEmpty()) {
                admin.deleteConsumerGroups(groups).all().get(60, TimeUnit.SECONDS);
            }
            System.out.println("Deleted " + topics.size() + " topics and " + groups.size() + " groups under " + base);
        } catch (Exception e) {
            System.out.println("Cleaning up " + base + " failed: " + e);
        } finally {
            admin.close();
        }
    }
}
