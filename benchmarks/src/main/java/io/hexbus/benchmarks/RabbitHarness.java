package io.hexbus.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.benchmarks.Figures.Spec;
import io.hexbus.benchmarks.KafkaHarness.CpuSnapshot;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitEventBus;
import io.hexbus.rabbitmq.RabbitNames;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTopology;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;
import io.hexbus.rabbitmq.testing.TestRabbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The RabbitMQ transport measured against the raw AMQP client ({@code amqp-client}) on the same broker, in one run
 * (issue 16). Prints a table and writes {@code benchmarks/target/rabbitmq-results.json}.
 *
 * <ul>
 *   <li><b>publish</b>: {@code RabbitEventBus.publish} one by one against a raw {@code basicPublish} +
 *       {@code waitForConfirmsOrDie} per message, and {@code publishAll(100)} against a raw batch of 100
 *       {@code basicPublish} + one {@code waitForConfirmsOrDie}: the messages hexbus writes (body, properties and
 *       headers, built beforehand), on a confirm channel, to the same exchange and so the same quorum work queue as
 *       hexbus's, the raw loops both before and after hexbus's in each round. The queue is purged after each round
 *       (untimed).</li>
 *   <li><b>e2e</b>: for each worker count ({@link RabbitBenchWorker} processes, 4 slots each, no-op handler), in
 *       rounds of three: (1) <i>pre-published</i>: the workers' handlers held at a gate, N events published with
 *       {@code publishAll(100)} (untimed), then the gate opened: the time from the opening until the handlers have
 *       handled all N; (2) <i>published while consuming</i>: N events published with {@code publishAll(100)} while
 *       the workers consume, until all N are handled; (3) the <i>raw consumer ceiling</i>: one consumer in the
 *       harness, manual acknowledgements ({@code multiple}, every half prefetch) with hexbus's prefetch, reading N
 *       messages of the same bytes from a quorum queue of the same shape, published there in (1) untimed. After
 *       (1) and (2), untimed, the harness waits until {@code admin().stats().completed()} shows every event
 *       settled.</li>
 * </ul>
 *
 * <p>Warm-up and rounds as {@link KafkaHarness}'s. The broker: {@code RABBITMQ_URL}, else
 * {@code amqp://guest:guest@127.0.0.1:5672} ({@link TestRabbit#url()}). Everything is declared under the prefix
 * {@code hexbus-bench-<random>.} and deleted at the end ({@link TestRabbit#deleteAll}).
 */
public final class RabbitHarness {

    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final String GROUP = "bench";
    static final int SLOTS = Integer.getInteger("bench.slots", 4);
    static final int READ_AHEAD = Integer.getInteger("bench.readAhead", RabbitWorkerSettings.DEFAULT_READ_AHEAD);
    /** How often the workers' counts are asked for while a figure runs: over a pipe, nothing of the broker's. */
    static final long POLL_MILLIS = 5;
    static final long PHASE_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final String url;
    private final RabbitConnectionSettings connection;
    private final String base;
    private final EventCodec codec;
    private final DomainEventsProcessor processor;
    private final Figures figures;
    private final List<RabbitNames> declared = new ArrayList<>();
    private final long brokerPid;
    private int partCounter;

    RabbitHarness(String url) {
        this.url = url;
        this.connection = RabbitConnectionSettings.parse(url);
        this.base = "hexbus-bench-" + UUID.randomUUID().toString().substring(0, 8);
        this.processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.eventTypes().register(BenchEvent.class);
        this.codec = EventCodec.of(processor.eventTypes());
        int warmupMax = Integer.getInteger("bench.warmupMax", 4);
        this.figures = new Figures(RUNS, new Figures.WarmUp(Math.min(2, warmupMax), warmupMax, 0.10));
        this.brokerPid = Long.getLong("bench.brokerPid", findBroker());
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // INFO drowns the table
        }
        String parts = System.getProperty("bench.parts", "publish,e2e");
        RabbitHarness harness = new RabbitHarness(TestRabbit.url());
        try {
            harness.run(parts);
        } finally {
            harness.cleanUp();
        }
        harness.figures.report("\"rabbitmq\": \"" + harness.connection.describe() + "\",\n  \"scale\": "
                + RedisHarness.SCALE, "rabbitmq-results.json");
    }

    void run(String parts) throws Exception {
        long start = System.nanoTime();
        String version;
        try (Connection c = connection.connect("hexbus-bench-probe", Duration.ofSeconds(10))) {
            version = String.valueOf(c.getServerProperties().get("version"));
        }
        System.out.printf(Locale.ROOT, "RabbitMQ %s at %s, names %s.*, %d runs per figure, scale %.2f, %d cores,"
                + " load %s, broker pid %s%n", version, connection.describe(), base, RUNS, RedisHarness.SCALE,
                Runtime.getRuntime().availableProcessors(), KafkaHarness.loadAverage(),
                brokerPid < 0 ? "not found (no broker CPU)" : Long.toString(brokerPid));
        System.out.println("Envelope of one event: " + codec.encode(RedisHarness.event(0), Instant.now()).json()
                .getBytes(StandardCharsets.UTF_8).length + " bytes");
        if (parts.contains("publish")) {
            publishing();
        }
        if (parts.contains("e2e")) {
            int n = Integer.getInteger("bench.e2e", RedisHarness.scaled(10_000));
            figures.extra.put("rabbitEndToEndEvents", n);
            for (String count : System.getProperty("bench.workers", "1,2").split(",")) {
                endToEnd(n, Integer.parseInt(count.trim()));
            }
        }
        System.out.printf(Locale.ROOT, "Load average at the end: %s; the run took %.1f minutes%n",
                KafkaHarness.loadAverage(), (System.nanoTime() - start) / 60e9);
    }

    // ---------------------------------------------------------------- publish

    void publishing() throws Exception {
        int oneByOne = Integer.getInteger("bench.publishOne", RedisHarness.scaled(1_000));
        int batched = Integer.getInteger("bench.publishBatched", RedisHarness.scaled(10_000));
        RabbitQueueSettings settings = settings(prefix("pub"));
        String exchange = settings.names().exchange();
        String queue = settings.names().workQueue();
        System.out.println("RabbitMQ publish, queue " + queue + ": " + oneByOne + " one by one, " + batched
                + " in batches of 100");
        try (RabbitTransport transport = RabbitTransport.connect(connection, settings,
                RabbitWorkerSettings.defaults(), processor, codec);
             Connection raw = connection.connect("hexbus-bench-raw", settings.commandTimeout())) {
            RabbitEventBus bus = transport.eventBus();
            Channel confirms = raw.createChannel();
            confirms.confirmSelect();
            Channel purging = raw.createChannel();
            long timeout = settings.commandTimeout().toMillis();
            String rawOne = "RabbitMQ raw basicPublish + waitForConfirmsOrDie, one by one";
            figures.measureTogether(List.of(
                    new Spec(rawOne, "events/s", null, null, oneByOne + " messages"),
                    new Spec("RabbitMQ hexbus publish, one by one", "events/s", rawOne, null, oneByOne + " events"),
                    new Spec(rawOne + ", again after hexbus", "events/s", null, null, oneByOne + " messages")),
                    () -> {
                        List<Message> messages = messages(oneByOne);
                        long t0 = System.nanoTime();
                        for (Message m : messages) {
                            confirms.basicPublish(exchange, m.routingKey(), m.properties(), m.body());
                            confirms.waitForConfirmsOrDie(timeout);
                        }
                        double before = RedisHarness.rate(oneByOne, t0);
                        List<BenchEvent> events = RedisHarness.events(oneByOne);
                        long t1 = System.nanoTime();
                        for (BenchEvent e : events) {
                            bus.publish(e);
                        }
                        double hexbus = RedisHarness.rate(oneByOne, t1);
                        messages = messages(oneByOne);
                        long t2 = System.nanoTime();
                        for (Message m : messages) {
                            confirms.basicPublish(exchange, m.routingKey(), m.properties(), m.body());
                            confirms.waitForConfirmsOrDie(timeout);
                        }
                        double after = RedisHarness.rate(oneByOne, t2);
                        purging.queuePurge(queue);
                        return new double[] {before, hexbus, after};
                    });
            String rawBatch = "RabbitMQ raw batch of 100 basicPublish + waitForConfirmsOrDie";
            figures.measureTogether(List.of(
                    new Spec(rawBatch, "events/s", null, null, batched + " messages"),
                    new Spec("RabbitMQ hexbus publishAll(100)", "events/s", rawBatch, null, batched + " events"),
                    new Spec(rawBatch + ", again after hexbus", "events/s", null, null, batched + " messages")),
                    () -> {
                        List<Message> messages = messages(batched);
                        long t0 = System.nanoTime();
                        publishInBatches(confirms, exchange, messages, timeout);
                        double before = RedisHarness.rate(batched, t0);
                        List<BenchEvent> events = RedisHarness.events(batched);
                        long t1 = System.nanoTime();
                        for (int i = 0; i < batched; i += 100) {
                            bus.publishAll(events.subList(i, Math.min(batched, i + 100)));
                        }
                        double hexbus = RedisHarness.rate(batched, t1);
                        messages = messages(batched);
                        long t2 = System.nanoTime();
                        publishInBatches(confirms, exchange, messages, timeout);
                        double after = RedisHarness.rate(batched, t2);
                        purging.queuePurge(queue);
                        return new double[] {before, hexbus, after};
                    });
        }
    }

    // ---------------------------------------------------------------- end to end

    void endToEnd(int n, int processes) throws Exception {
        String label = processes + " worker process" + (processes > 1 ? "es" : "") + " × " + SLOTS + " slots";
        RabbitQueueSettings settings = settings(prefix("e2e" + processes));
        RabbitQueueSettings rawSettings = settings(prefix("raw" + processes));
        String rawQueue = rawSettings.names().workQueue();
        int prefetch = SLOTS + READ_AHEAD; // RabbitWorkerSettings.prefetch(): a worker's consumer's
        Map<String, Double> cpu = new TreeMap<>();
        Map<String, Double> rawCpu = new TreeMap<>();
        long[] settled = {0};
        System.out.println("RabbitMQ end to end, " + label + " (prefetch " + prefetch + " each), N=" + n + ", queue "
                + settings.names().workQueue() + "; raw consumer on " + rawQueue);
        try (RabbitTransport transport = RabbitTransport.connect(connection, settings,
                RabbitWorkerSettings.defaults(), processor, codec);
             Connection raw = connection.connect("hexbus-bench-raw", settings.commandTimeout());
             WorkerProcesses workers = new WorkerProcesses(RabbitBenchWorker.class, processes, List.of(url,
                     settings.prefix(), GROUP, Integer.toString(SLOTS), Integer.toString(READ_AHEAD)))) {
            // The raw queue: the same topology as hexbus's, under a prefix of its own, with no worker on it.
            RabbitTopology.declare(raw, rawSettings);
            Channel rawPublisher = raw.createChannel();
            rawPublisher.confirmSelect();
            Channel rawConsumer = raw.createChannel();
            rawConsumer.basicQos(prefetch, false);
            RabbitEventBus bus = transport.eventBus();
            long timeout = settings.commandTimeout().toMillis();
            String rawName = "RabbitMQ raw consumer ceiling, 1 consumer, prefetch " + prefetch + ", N=" + n
                    + " (block of " + label + ")";
            figures.measureTogether(List.of(
                    new Spec("RabbitMQ hexbus end to end, pre-published, " + label + ", N=" + n, "events/s",
                            rawName, null, "handlers held while N were published, then released: until all N"
                            + " handled"),
                    new Spec("RabbitMQ hexbus end to end, publishAll(100) while consuming, " + label + ", N=" + n,
                            "events/s", null, null, "the Redis harness's method: from the first publish until all"
                            + " handled"),
                    new Spec(rawName, "events/s", null, null, "N messages of the same bytes pre-published to a"
                            + " quorum queue of the same shape; manual multiple acks every half prefetch")),
                    () -> {
                        // 1. Pre-published: the handlers held while N events go to the work queue, and the same
                        //    messages' bytes to the raw queue; then the handlers released.
                        workers.ask("hold");
                        publishAll(bus, RedisHarness.events(n));
                        publishInBatches(rawPublisher, rawSettings.names().exchange(), messages(n), timeout);
                        long baseline = handled(workers);
                        CpuSnapshot before = cpuSnapshot(workers);
                        long t0 = System.nanoTime();
                        workers.ask("go");
                        awaitHandled(workers, baseline + n, t0);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        cpu.clear();
                        cpu.putAll(cpuSnapshot(workers).perEventMicros(before, n, seconds));
                        awaitSettled(transport, settled[0] += n);
                        // 2. The Redis harness's method: publishAll(100) while the workers consume.
                        List<BenchEvent> events = RedisHarness.events(n);
                        long t1 = System.nanoTime();
                        publishAll(bus, events);
                        awaitHandled(workers, baseline + 2L * n, t1);
                        double overlapped = RedisHarness.rate(n, t1);
                        awaitSettled(transport, settled[0] += n);
                        // 3. The raw consumer reads the N messages of 1 from its queue.
                        CpuSnapshot rawBefore = cpuSnapshot(workers);
                        long t2 = System.nanoTime();
                        consume(rawConsumer, rawQueue, n, prefetch);
                        double rawSeconds = (System.nanoTime() - t2) / 1e9;
                        rawCpu.clear();
                        rawCpu.putAll(cpuSnapshot(workers).perEventMicros(rawBefore, n, rawSeconds));
                        return new double[] {n / seconds, overlapped, n / rawSeconds};
                    });
            figures.extra.put("rabbitCpuMicrosPerEvent_prePublished_" + processes + "x" + SLOTS, new TreeMap<>(cpu));
            figures.extra.put("rabbitCpuMicrosPerEvent_rawConsumer_" + processes + "x" + SLOTS, new TreeMap<>(rawCpu));
            System.out.println("  CPU per event of the pre-published end to end, µs (last run): " + cpu);
            System.out.println("  CPU per event of the raw consumer, µs (last run; harnessJvm is the consumer): "
                    + rawCpu);
        }
    }

    /** Sums the workers' handled counts. */
    static long handled(WorkerProcesses workers) throws IOException {
        return workers.ask("count").stream().mapToLong(Long::parseLong).sum();
    }

    /** Waits until the workers' handlers have handled {@code target} events together, asking every 5 ms. */
    static void awaitHandled(WorkerProcesses workers, long target, long t0) throws Exception {
        while (true) {
            long got = handled(workers);
            if (got >= target) {
                return;
            }
            KafkaHarness.check(t0 + PHASE_LIMIT_NANOS, "the workers handled " + got + " of " + target);
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Untimed, after a figure: waits until the statistics count every event handled so far as completed (its ledger
     * settle written and its delivery acknowledged), so that the next figure starts with nothing in flight, and
     * the handlers' counts are checked against the transport's own.
     */
    static void awaitSettled(RabbitTransport transport, long completed) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            long got = transport.admin().stats().completed();
            if (got >= completed) {
                return;
            }
            KafkaHarness.check(t0 + PHASE_LIMIT_NANOS, "stats show " + got + " completed of " + completed);
            Thread.sleep(20);
        }
    }

    static void publishAll(RabbitEventBus bus, List<BenchEvent> events) {
        for (int i = 0; i < events.size(); i += 100) {
            bus.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
        }
    }

    /** Publishes in batches of 100, each followed by {@code waitForConfirmsOrDie}. */
    static void publishInBatches(Channel channel, String exchange, List<Message> messages, long timeoutMillis)
            throws Exception {
        for (int i = 0; i < messages.size(); i += 100) {
            for (Message m : messages.subList(i, Math.min(messages.size(), i + 100))) {
                channel.basicPublish(exchange, m.routingKey(), m.properties(), m.body());
            }
            channel.waitForConfirmsOrDie(timeoutMillis);
        }
    }

    /**
     * Consumes {@code n} messages from {@code queue} with manual acknowledgements, one {@code multiple} ack every
     * half prefetch (and at the last), and cancels the consumer. Returns once the last ack is sent.
     */
    static void consume(Channel channel, String queue, int n, int prefetch) throws Exception {
        int ackEvery = Math.max(1, prefetch / 2);
        CountDownLatch done = new CountDownLatch(1);
        // Deliveries of one channel are dispatched one at a time, in order: the count needs no lock.
        DefaultConsumer consumer = new DefaultConsumer(channel) {
            private int got;

            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                got++;
                if (got % ackEvery == 0 || got == n) {
                    channel.basicAck(envelope.getDeliveryTag(), true);
                }
                if (got == n) {
                    done.countDown();
                }
            }
        };
        String tag = channel.basicConsume(queue, false, consumer);
        try {
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the raw consumer did not read " + n + " messages from " + queue
                        + " within 5 minutes");
            }
        } finally {
            channel.basicCancel(tag);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** One message as hexbus writes it. */
    record Message(String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    /**
     * The messages hexbus writes for N new events (RabbitEventBus; docs/rabbitmq-transport.md, "Messages"): routing
     * key = the event name, persistent, {@code application/json}, a new message id, the timestamp, the headers
     * {@code hexbus-name}, {@code -id}, {@code -round} = 0, {@code -lineage}, {@code -published-at}; body = the
     * envelope.
     */
    List<Message> messages(int n) {
        Instant now = Instant.now();
        List<EncodedEvent> encoded = codec.encodeAll(RedisHarness.events(n), now);
        List<Message> messages = new ArrayList<>(n);
        for (EncodedEvent e : encoded) {
            Map<String, Object> headers = new HashMap<>();
            headers.put("hexbus-name", e.name());
            headers.put("hexbus-id", e.eventId().toString());
            headers.put("hexbus-round", 0);
            headers.put("hexbus-lineage", e.eventId().toString());
            headers.put("hexbus-published-at", now.toString());
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .messageId(UUID.randomUUID().toString())
                    .timestamp(Date.from(now))
                    .headers(headers)
                    .build();
            messages.add(new Message(e.name(), properties, e.json().getBytes(StandardCharsets.UTF_8)));
        }
        return messages;
    }

    RabbitQueueSettings settings(String prefix) {
        RabbitQueueSettings settings = RabbitQueueSettings.defaults(GROUP).withPrefix(prefix);
        declared.add(settings.names());
        return settings;
    }

    String prefix(String part) {
        return base + "." + part + "-" + (++partCounter);
    }

    /**
     * The broker's process on this machine ({@code beam.smp … -s rabbit boot}, not a {@code rabbitmqctl}), for its
     * CPU time; -1 if none. Its command line is read from {@code /proc}: {@code ProcessHandle} stops at the empty
     * argument Erlang's has.
     */
    static long findBroker() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                .filter(p -> commandLine(p.pid()).contains("-s rabbit boot"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** CPU time spent so far by the broker (when found on this machine), this JVM and the worker processes. */
    CpuSnapshot cpuSnapshot(WorkerProcesses workers) {
        double broker = brokerPid < 0 ? 0 : ProcessHandle.of(brokerPid)
                .flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO).toNanos() / 1e9;
        double self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        return new CpuSnapshot(broker, self, workers.cpu().toNanos() / 1e9);
    }

    void cleanUp() {
        for (RabbitNames names : declared) {
            try {
                TestRabbit.deleteAll(names);
            } catch (RuntimeException e) {
                System.out.println("Cleaning up " + names + " failed: " + e);
            }
        }
        System.out.println("Deleted the queues, streams and exchanges of " + declared.size() + " prefixes under "
                + base);
    }
}
