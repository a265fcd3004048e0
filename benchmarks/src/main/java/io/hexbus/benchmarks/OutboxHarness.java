package io.hexbus.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.benchmarks.Figures.Spec;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxMonitor;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxSchema;
import io.hexbus.outbox.OutboxStatus;
import io.hexbus.outbox.testing.TestPostgres;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transactional outbox (event-bus-outbox-jdbc) measured against raw JDBC on the same PostgreSQL, in one run
 * (issue 17). Prints a table and writes {@code benchmarks/target/outbox-results.json}.
 *
 * <ul>
 *   <li><b>commit</b>: a use case that inserts an invoice row (5 columns) and publishes one event, at 1 and at 4
 *       threads on a HikariCP pool, in rounds of four: (a) the <i>raw ceiling</i>, one JDBC transaction with the same
 *       invoice {@code INSERT} and an {@code INSERT} of the same envelope (encoded beforehand) into a table made
 *       {@code LIKE hexbus_outbox INCLUDING ALL}, then commit; (b) <i>hexbus</i>, {@code JdbcUnitOfWork.run} around
 *       the invoice insert on {@code units.connection()} and {@code OutboxEventBus.publish}; (c) <i>without the
 *       outbox</i>, the invoice insert committed, then {@code RedisEventBus.publish}: the dual write the outbox
 *       replaces; (a) again after the others. The tables are emptied before each (untimed).</li>
 *   <li><b>relay</b>: N committed rows put in the outbox through {@code OutboxEventBus} in units of 100 (untimed),
 *       then forwarded to the Redis transport: (1) the <i>raw ceiling</i>, one thread looping {@code SELECT … ORDER BY
 *       seq LIMIT 500 FOR UPDATE SKIP LOCKED}, decode, {@code publishAll}, {@code UPDATE … SET sent_at = now()},
 *       commit; (2) an {@code OutboxRelay} with the default batch size (500), and (3) with a larger one: events per
 *       second from {@code start()} until the outbox shows none waiting. The table is emptied and filled again before
 *       each (untimed), and the Redis keys deleted.</li>
 * </ul>
 *
 * <p>Warm-up and rounds as {@link KafkaHarness}'s. Also printed, per figure (last round): the CPU time per event of
 * PostgreSQL (its processes' time from {@code /proc}, when it runs on this machine), of this JVM and of Redis
 * ({@code INFO cpu}). PostgreSQL: {@code DATABASE_URL} (a schema of its own) else 127.0.0.1:5432 (a database of its
 * own), by the outbox tests' {@link TestPostgres}, dropped at the end. Redis: {@code REDIS_URL}, else
 * {@code redis://127.0.0.1:6379}, every key under {@code hexbus-bench:{<random uuid>}} and deleted at the end
 * (never a flush).
 */
public final class OutboxHarness {

    static final int RUNS = Integer.getInteger("bench.runs", 3);
    /** The relay's default batch size: the raw ceiling's {@code LIMIT} too. */
    static final int BATCH = OutboxRelaySettings.defaults().batchSize();
    /** The second relay figure's batch size; 0 for none. */
    static final int LARGE_BATCH = Integer.getInteger("bench.relayBatch", 2_000);
    /** The goal of issue 17: the outbox adds at most 20% to a use case's commit. */
    static final double COMMIT_TARGET = 1 / 1.2;
    /** The goal of issue 17: the relay forwards at least this many events per second. */
    static final double RELAY_GOAL = 20_000;
    static final long PHASE_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** Threads filling the outbox before each relay figure: the commit part's most, as the pool has room for them. */
    static final int FILL_THREADS = maxThreads();

    /** The use case's event: an invoice issued, 227 bytes of payload, ordered by its invoice as the sample's. */
    @EventName("bench.invoice-issued")
    public record InvoiceIssued(UUID eventId, Instant occurredAt, String invoiceId, String invoiceNumber,
                                String companyId, String billingEmail, String storeId, long totalCents,
                                String currency) implements DomainEvent {
        @Override
        public String orderingKey() {
            return invoiceId;
        }
    }

    static final String INVOICE_TABLE = "CREATE TABLE bench_invoice (id text PRIMARY KEY, number text NOT NULL,"
            + " company_id text NOT NULL, total_cents bigint NOT NULL, issued_at timestamptz NOT NULL)";
    // The same columns, identity, defaults, constraints and (partial) indexes as the outbox's: the same index entries
    // written per row.
    static final String RAW_OUTBOX_TABLE = "CREATE TABLE bench_raw_outbox (LIKE hexbus_outbox INCLUDING ALL)";
    static final String INSERT_INVOICE = "INSERT INTO bench_invoice (id, number, company_id, total_cents, issued_at)"
            + " VALUES (?, ?, ?, ?, ?)";
    static final String INSERT_RAW_OUTBOX = "INSERT INTO bench_raw_outbox (event_id, event_name, ordering_key,"
            + " envelope) VALUES (?, ?, ?, ?)";
    static final String RAW_LOCK = "SELECT seq, envelope FROM hexbus_outbox WHERE sent_at IS NULL AND dead_at IS NULL"
            + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String RAW_MARK = "UPDATE hexbus_outbox SET sent_at = now() WHERE seq = ANY(?)";

    private final TestPostgres postgres;
    private final HikariDataSource pool;
    private final JdbcUnitOfWork units;
    private final OutboxEventBus outbox;
    private final OutboxMonitor monitor;
    private final EventCodec codec;
    private final String redisUrl;
    private final String base;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redisConnection;
    private final RedisCommands<String, String> redis;
    private final RedisTransport transport;
    private final String redisPrefix;
    private final PostgresCpu postgresCpu;
    private final Figures figures;
    /** Numbers the invoices of the run. */
    private final AtomicInteger invoices = new AtomicInteger();
    /** How long the untimed fills of the relay part took, for the run's length. */
    private long fillNanos;
    /** The threads that fill the outbox for the relay part; null while none runs, or for one. */
    private ExecutorService filler;

    OutboxHarness(TestPostgres postgres, HikariDataSource pool, String redisUrl) {
        this.postgres = postgres;
        this.pool = pool;
        this.redisUrl = redisUrl;
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.eventTypes().register(InvoiceIssued.class);
        this.codec = EventCodec.of(processor.eventTypes());
        this.units = new JdbcUnitOfWork(pool);
        this.outbox = new OutboxEventBus(units, codec, Clock.systemUTC());
        this.monitor = new OutboxMonitor(pool);
        this.base = "hexbus-bench:{" + UUID.randomUUID() + "}";
        this.redisPrefix = base + ":outbox";
        this.redisClient = RedisClient.create(redisUrl);
        this.redisConnection = redisClient.connect();
        this.redis = redisConnection.sync();
        // A publisher only (no worker): the bus of (c) and the relays' target.
        this.transport = RedisTransport.connect(RedisConnectionSettings.fromUrl(redisUrl),
                RedisQueueSettings.defaults("bench").withKeyPrefix(redisPrefix), processor, codec);
        this.postgresCpu = PostgresCpu.ifLocal(postgres.jdbcUrl());
        int warmupMax = Integer.getInteger("bench.warmupMax", 4);
        this.figures = new Figures(RUNS, new Figures.WarmUp(Math.min(2, warmupMax), warmupMax, 0.10));
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // INFO drowns the table
        }
        String parts = System.getProperty("bench.parts", "commit,relay");
        String redisUrl = System.getenv().getOrDefault("REDIS_URL", "");
        if (redisUrl.isBlank()) {
            redisUrl = "redis://127.0.0.1:6379";
        }
        int threads = maxThreads();
        TestPostgres postgres;
        try {
            postgres = TestPostgres.create();
        } catch (RuntimeException | NoClassDefFoundError e) { // the embedded fallback is not on this class path
            throw new IllegalStateException("no PostgreSQL: set DATABASE_URL (a JDBC URL) or run one at"
                    + " 127.0.0.1:5432 with trust auth for user postgres: " + e, e);
        }
        OutboxHarness harness = null;
        String server = "?";
        try (HikariDataSource pool = pool(postgres.jdbcUrl(), threads)) {
            harness = new OutboxHarness(postgres, pool, redisUrl);
            server = harness.run(parts);
        } finally {
            if (harness != null) {
                harness.close();
            }
            postgres.close();
            System.out.println("Dropped " + postgres);
        }
        harness.figures.report("\"postgresql\": \"" + server + "\",\n  \"redis\": \""
                + RedisConnectionSettings.fromUrl(redisUrl).describe() + "\",\n  \"scale\": " + RedisHarness.SCALE,
                "outbox-results.json");
        harness.goals();
        threadsLeft();
    }

    static HikariDataSource pool(String jdbcUrl, int threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("hexbus-bench");
        // The use case threads, the relay's two connections (its pass and its LISTEN), the monitor; fixed size, so no
        // connection is opened while a figure runs.
        config.setMaximumPoolSize(threads + 3);
        config.setMinimumIdle(threads + 3);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    static int maxThreads() {
        int max = 1;
        for (String t : System.getProperty("bench.threads", "1,4").split(",")) {
            max = Math.max(max, Integer.parseInt(t.trim()));
        }
        return max;
    }

    /** @return the server's version and durability settings, for the report */
    String run(String parts) throws Exception {
        long start = System.nanoTime();
        OutboxSchema.migrate(pool);
        execute(INVOICE_TABLE, RAW_OUTBOX_TABLE);
        Map<String, Object> settings = serverSettings();
        figures.extra.put("postgresql", settings);
        String server = "PostgreSQL " + settings.get("server_version") + " (" + postgres + ")";
        System.out.printf(Locale.ROOT, "%s, %s; Redis %s at %s, prefix %s; %d runs per figure, scale %.2f, %d cores,"
                + " load %s; PostgreSQL CPU %s%n", server, settings, serverInfo("server", "redis_version"),
                RedisConnectionSettings.fromUrl(redisUrl).describe(), redisPrefix, RUNS, RedisHarness.SCALE,
                Runtime.getRuntime().availableProcessors(), KafkaHarness.loadAverage(),
                postgresCpu == null ? "not measured (not on this machine, or its processes cannot be read)"
                        : "from /proc (every client of this server counts)");
        EncodedEvent sample = codec.encode(event(), Instant.now());
        System.out.println("Envelope of one event: " + sample.json().getBytes(StandardCharsets.UTF_8).length
                + " bytes: " + sample.json());
        if (parts.contains("commit")) {
            int n = Integer.getInteger("bench.commits", RedisHarness.scaled(4_000));
            figures.extra.put("useCasesPerFigure", n);
            for (String t : System.getProperty("bench.threads", "1,4").split(",")) {
                commits(Integer.parseInt(t.trim()), n);
            }
        }
        if (parts.contains("relay")) {
            int n = Integer.getInteger("bench.relayEvents", RedisHarness.scaled(50_000));
            figures.extra.put("relayEvents", n);
            relay(n);
        }
        System.out.printf(Locale.ROOT, "Load average at the end: %s; the run took %.1f minutes%n",
                KafkaHarness.loadAverage(), (System.nanoTime() - start) / 60e9);
        return server;
    }

    // ---------------------------------------------------------------- commit

    /** One use case of a figure: the i-th of its events. */
    interface UseCase {
        void run(int i) throws Exception;
    }

    void commits(int threads, int n) throws Exception {
        String label = threads + " thread" + (threads > 1 ? "s" : "");
        System.out.println("Use case commit, " + label + ", " + n + " use cases per figure, pool of "
                + pool.getMaximumPoolSize());
        String raw = "Outbox raw ceiling: INSERT invoice + INSERT envelope, commit, " + label;
        ExecutorService executor = threads > 1 ? Executors.newFixedThreadPool(threads, named("hexbus-bench-uc"))
                : null;
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        EventBus redisBus = transport.eventBus();
        try {
            figures.measureTogether(List.of(
                    new Spec(raw, "use cases/s", null, null, "one JDBC transaction, the two INSERTs raw, envelope"
                            + " encoded beforehand"),
                    new Spec("Outbox hexbus: JdbcUnitOfWork + OutboxEventBus.publish, " + label, "use cases/s", raw,
                            COMMIT_TARGET, "goal: the outbox adds <= 20% to the commit"),
                    new Spec("Without the outbox: INSERT invoice, commit, then RedisEventBus.publish, " + label,
                            "use cases/s", raw, null, "the dual write the outbox replaces"),
                    new Spec(raw + ", again after", "use cases/s", null, null, "drift within the round")),
                    () -> {
                        double before = useCases(n, threads, executor, "raw", cpu, this::rawUseCase,
                                "bench_raw_outbox");
                        double hexbus = useCases(n, threads, executor, "hexbus", cpu, (events, encoded) -> i ->
                                units.run(() -> {
                                    insertInvoiceUnchecked(units.connection(), events.get(i));
                                    outbox.publish(events.get(i));
                                }), "hexbus_outbox");
                        double dual = useCases(n, threads, executor, "withoutOutbox", cpu, (events, encoded) -> i -> {
                            try (Connection c = pool.getConnection()) {
                                inTransaction(c, () -> insertInvoice(c, events.get(i)));
                            }
                            redisBus.publish(events.get(i));
                        }, null);
                        double after = useCases(n, threads, executor, "rawAgain", cpu, this::rawUseCase,
                                "bench_raw_outbox");
                        return new double[] {before, hexbus, dual, after};
                    });
        } finally {
            if (executor != null) {
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
        figures.extra.put("cpuMicrosPerUseCase_" + threads + "t", cpu);
        System.out.println("  CPU per use case, µs (last round): " + cpu);
    }

    /** The raw ceiling: the textbook JDBC transaction with the two INSERTs, the envelope encoded beforehand. */
    UseCase rawUseCase(List<InvoiceIssued> events, List<EncodedEvent> encoded) {
        return i -> {
            try (Connection c = pool.getConnection()) {
                inTransaction(c, () -> {
                    insertInvoice(c, events.get(i));
                    insertRawOutbox(c, encoded.get(i));
                });
            }
        };
    }

    /** Builds a figure's use cases from its events and their envelopes (encoded beforehand, for the raw ones). */
    interface Figure {
        UseCase of(List<InvoiceIssued> events, List<EncodedEvent> encoded);
    }

    /**
     * Empties the tables and the Redis keys, makes N new events (untimed), then runs the N use cases on
     * {@code threads} threads, each its own contiguous share, all released at once; checks that every row is there.
     *
     * @param outboxTable the table the events must be rows of, or null for Redis's stream
     * @return use cases per second, from the release until the last returned
     */
    double useCases(int n, int threads, ExecutorService executor, String name, Map<String, Map<String, Double>> cpu,
                    Figure figure, String outboxTable) throws Exception {
        execute("TRUNCATE bench_invoice, bench_raw_outbox, hexbus_outbox");
        deleteKeys(redisPrefix);
        List<InvoiceIssued> events = events(n);
        List<EncodedEvent> encoded = codec.encodeAll(events, Instant.now());
        UseCase useCase = figure.of(events, encoded);
        Cpu before = cpu();
        long t0 = System.nanoTime();
        if (executor == null) {
            for (int i = 0; i < n; i++) {
                useCase.run(i);
            }
        } else {
            runShares(executor, threads, n, useCase);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.put(name, cpu().perEventMicros(before, n, seconds));
        check(count("bench_invoice") == n, "invoices " + count("bench_invoice") + " of " + n);
        long published = outboxTable == null ? redis.xlen(redisPrefix + ":stream") : count(outboxTable);
        check(published == n, name + ": " + published + " events of " + n);
        return n / seconds;
    }

    static void runShares(ExecutorService executor, int threads, int n, UseCase useCase) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            running.add(executor.submit(() -> {
                go.await();
                for (int i = from; i < to; i++) {
                    useCase.run(i);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : running) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    interface Work {
        void run() throws SQLException;
    }

    /** The textbook JDBC transaction: auto-commit off, the work, commit (rollback on failure), auto-commit back on. */
    static void inTransaction(Connection c, Work work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static void insertInvoice(Connection c, InvoiceIssued e) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_INVOICE)) {
            insert.setString(1, e.invoiceId());
            insert.setString(2, e.invoiceNumber());
            insert.setString(3, e.companyId());
            insert.setLong(4, e.totalCents());
            insert.setTimestamp(5, Timestamp.from(e.occurredAt()));
            insert.executeUpdate();
        }
    }

    static void insertInvoiceUnchecked(Connection c, InvoiceIssued e) {
        try {
            insertInvoice(c, e);
        } catch (SQLException ex) {
            throw new IllegalStateException("the invoice insert failed: " + ex.getMessage(), ex);
        }
    }

    static void insertRawOutbox(Connection c, EncodedEvent e) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_RAW_OUTBOX)) {
            insert.setObject(1, e.eventId());
            insert.setString(2, e.name());
            insert.setString(3, e.orderingKey());
            insert.setString(4, e.json());
            insert.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- relay

    void relay(int n) throws Exception {
        System.out.println("Relay to Redis, N=" + n + " committed rows per figure, filled through OutboxEventBus in"
                + " units of 100 (untimed)");
        String raw = "Relay raw ceiling: SKIP LOCKED LIMIT " + BATCH + " + decode + publishAll + UPDATE sent_at,"
                + " 1 thread, N=" + n;
        List<Spec> specs = new ArrayList<>(List.of(
                new Spec(raw, "events/s", null, null, "the relay's work written raw: no key-order query, status,"
                        + " listener"),
                new Spec("Relay hexbus: OutboxRelay, batchSize " + BATCH + ", N=" + n, "events/s", raw, null,
                        "from start() until none waiting; goal >= 20,000 events/s")));
        boolean large = LARGE_BATCH > 0 && LARGE_BATCH != BATCH;
        if (large) {
            specs.add(new Spec("Relay hexbus: OutboxRelay, batchSize " + LARGE_BATCH + ", N=" + n, "events/s", raw,
                    null, "from start() until none waiting"));
        }
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        filler = FILL_THREADS > 1 ? Executors.newFixedThreadPool(FILL_THREADS, named("hexbus-bench-fill")) : null;
        try {
            figures.measureTogether(specs, () -> {
                double[] got = new double[specs.size()];
                got[0] = rawRelay(n, cpu);
                got[1] = relay(n, BATCH, cpu);
                if (large) {
                    got[2] = relay(n, LARGE_BATCH, cpu);
                }
                return got;
            });
        } finally {
            if (filler != null) {
                filler.shutdownNow();
                filler.awaitTermination(10, TimeUnit.SECONDS);
                filler = null;
            }
        }
        figures.extra.put("cpuMicrosPerEvent_relay", cpu);
        System.out.println("  CPU per event, µs (last round): " + cpu);
        System.out.printf(Locale.ROOT, "  Filling the outbox (untimed) took %.1f s of the part%n", fillNanos / 1e9);
    }

    /**
     * Empties the outbox and Redis, then commits N events to the outbox in units of 100, from as many threads as the
     * commit part's most (untimed: only the time the run takes), and vacuums.
     */
    void fill(int n) throws Exception {
        long t0 = System.nanoTime();
        execute("TRUNCATE hexbus_outbox");
        deleteKeys(redisPrefix);
        List<InvoiceIssued> events = events(n);
        int unitCount = (n + 99) / 100;
        UseCase unit = u -> units.run(() -> outbox.publishAll(events.subList(u * 100, Math.min(n, u * 100 + 100))));
        if (filler == null) {
            for (int u = 0; u < unitCount; u++) {
                unit.run(u);
            }
        } else {
            runShares(filler, FILL_THREADS, unitCount, unit);
        }
        // Fresh statistics and visibility map for every figure alike, and no autovacuum due while one runs.
        execute("VACUUM (ANALYZE) hexbus_outbox");
        check(monitor.status().waiting() == n, "the outbox was filled with " + monitor.status().waiting() + " of " + n);
        fillNanos += System.nanoTime() - t0;
    }

    /**
     * An {@link OutboxRelay} with the batch size forwards N rows to Redis. The end: once the target has accepted N
     * events (counted in the harness, no query), the outbox is polled every 10 ms until none waits (the relay marks
     * and commits each batch after the target accepted it). Not polled from the start: {@link OutboxMonitor}'s
     * counts read the whole waiting index, a load on the server being measured.
     */
    double relay(int n, int batchSize, Map<String, Map<String, Double>> cpu) throws Exception {
        fill(n);
        CountingBus target = new CountingBus(transport.eventBus(), n);
        OutboxRelaySettings settings = OutboxRelaySettings.defaults().withName("hexbus-bench-relay")
                .withBatchSize(batchSize);
        double seconds;
        Cpu before;
        try (OutboxRelay relay = new OutboxRelay(pool, codec, target, settings, Clock.systemUTC())) {
            before = cpu();
            long t0 = System.nanoTime();
            relay.start();
            if (!target.reached.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the relay forwarded " + target.accepted.get() + " of " + n
                        + " within 5 minutes: " + relay.status());
            }
            while (monitor.status().waiting() > 0) {
                KafkaHarness.check(t0 + PHASE_LIMIT_NANOS, "the outbox still shows rows waiting: " + relay.status());
                Thread.sleep(10);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            cpu.put("relay" + batchSize, cpu().perEventMicros(before, n, seconds));
            OutboxStatus status = relay.status();
            check(status.forwarded() == n && status.dead() == 0, "relay status " + status);
        }
        checkForwarded(n);
        return n / seconds;
    }

    /** The relay's work written raw, one thread: lock a batch, decode, publishAll, mark sent, commit; until drained. */
    double rawRelay(int n, Map<String, Map<String, Double>> cpu) throws Exception {
        fill(n);
        EventBus bus = transport.eventBus();
        Cpu before = cpu();
        long t0 = System.nanoTime();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                int locked;
                do {
                    List<Long> seqs = new ArrayList<>(BATCH);
                    List<DomainEvent> events = new ArrayList<>(BATCH);
                    try (PreparedStatement select = c.prepareStatement(RAW_LOCK)) {
                        select.setInt(1, BATCH);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                seqs.add(rows.getLong(1));
                                events.add(codec.decode(rows.getString(2)));
                            }
                        }
                    }
                    locked = seqs.size();
                    if (locked > 0) {
                        bus.publishAll(events);
                        try (PreparedStatement mark = c.prepareStatement(RAW_MARK)) {
                            mark.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
                            mark.executeUpdate();
                        }
                    }
                    c.commit();
                } while (locked == BATCH);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.put("raw", cpu().perEventMicros(before, n, seconds));
        check(monitor.status().waiting() == 0, "the raw relay left " + monitor.status().waiting() + " waiting");
        checkForwarded(n);
        return n / seconds;
    }

    /** Every row was forwarded once: the stream holds N entries. */
    void checkForwarded(int n) {
        long length = redis.xlen(redisPrefix + ":stream");
        check(length == n, "the Redis stream holds " + length + " events of " + n);
    }

    /**
     * The relay's target: the Redis bus, counting the events it accepted, so the harness learns that all went without
     * querying the database being measured.
     */
    static final class CountingBus implements EventBus {
        final AtomicLong accepted = new AtomicLong();
        final CountDownLatch reached = new CountDownLatch(1);
        private final EventBus target;
        private final long n;

        CountingBus(EventBus target, long n) {
            this.target = target;
            this.n = n;
        }

        @Override
        public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
            List<PublishOutcome> outcomes = target.publishAll(events);
            if (accepted.addAndGet(events.size()) >= n) {
                reached.countDown();
            }
            return outcomes;
        }
    }

    // ---------------------------------------------------------------- CPU

    /** CPU seconds spent so far by PostgreSQL (NaN when not measured), this JVM and Redis. */
    record Cpu(double postgres, double harness, double redis) {
        Map<String, Double> perEventMicros(Cpu before, int n, double wallSeconds) {
            Map<String, Double> micros = new TreeMap<>();
            double p = postgres - before.postgres;
            double h = harness - before.harness;
            double r = redis - before.redis;
            if (!Double.isNaN(p)) {
                micros.put("postgres", round(p / n * 1e6));
            }
            micros.put("harnessJvm", round(h / n * 1e6));
            micros.put("redis", round(r / n * 1e6));
            micros.put("coresBusy", round(((Double.isNaN(p) ? 0 : p) + h + r) / wallSeconds));
            return micros;
        }

        private static double round(double value) {
            return Math.round(value * 100) / 100.0;
        }
    }

    Cpu cpu() {
        double postgresSeconds = postgresCpu == null ? Double.NaN : postgresCpu.seconds();
        double self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        double redisSeconds = Double.parseDouble(serverInfo("cpu", "used_cpu_sys"))
                + Double.parseDouble(serverInfo("cpu", "used_cpu_user"));
        return new Cpu(postgresSeconds, self, redisSeconds);
    }

    // ---------------------------------------------------------------- helpers

    InvoiceIssued event() {
        int i = invoices.incrementAndGet();
        String company = String.format(Locale.ROOT, "company-%08d", i % 5_000);
        return new InvoiceIssued(EventIds.newId(), Instant.now(), UUID.randomUUID().toString(),
                String.format(Locale.ROOT, "INV-2026-%07d", i), company, "billing@" + company + ".example",
                String.format(Locale.ROOT, "store-%04d", i % 100), 10_000 + i % 90_000, "EUR");
    }

    List<InvoiceIssued> events(int n) {
        List<InvoiceIssued> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event());
        }
        return events;
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    long count(String table) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    Map<String, Object> serverSettings() throws SQLException {
        Map<String, Object> settings = new LinkedHashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String name : List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method",
                    "shared_buffers")) {
                try (ResultSet row = s.executeQuery("SHOW " + name)) {
                    row.next();
                    settings.put(name, row.getString(1));
                }
            }
        }
        return settings;
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }

    static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    String serverInfo(String section, String field) {
        return redis.info(section).lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> l.substring(field.length() + 1).trim()).orElse("?");
    }

    void deleteKeys(String prefix) {
        RedisHarness.deleteKeys(redis, prefix);
    }

    /** The goals of issue 17 beside the figures' medians, after the table. */
    void goals() {
        for (Figures.Figure f : figures.all) {
            if (f.name().startsWith("Relay hexbus")) {
                System.out.printf(Locale.ROOT, "Goal >= %,.0f events/s forwarded: %s %,.0f events/s (%s)%n",
                        RELAY_GOAL, f.name(), f.median(), f.median() >= RELAY_GOAL ? "met" : "MISSED");
            }
        }
    }

    /** Closes the Redis transport and connection (deleting every key of this run); the pool is closed by main. */
    void close() {
        try {
            outbox.close();
            transport.close();
            deleteKeys(base);
            System.out.println("Deleted every key under " + base);
        } finally {
            redisConnection.close();
            redisClient.shutdown();
        }
    }

    /**
     * Says which threads are still alive besides the JVM's own. A thread of the harness's (use case threads, the
     * relay, the pool, the Redis clients) or any non-daemon thread would be a leak; the libraries' JVM-wide daemon
     * threads (the driver's cleaner, the JDK's process reaper) end by themselves when idle; Netty's global executor,
     * not a daemon, is given 3 seconds to.
     */
    static void threadsLeft() throws InterruptedException {
        Set<String> jvm = Set.of("main", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner",
                "Notification Thread", "Attach Listener", "DestroyJavaVM");
        List<Thread> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !jvm.contains(t.getName())).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Thread t : alive) { // Netty's global executor is not a daemon, and ends after a second of quiet
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!t.isDaemon() && !ours(t.getName()) && left > 0) {
                t.join(left);
            }
        }
        alive = alive.stream().filter(Thread::isAlive).toList();
        List<String> leaked = alive.stream().filter(t -> !t.isDaemon() || ours(t.getName())).map(Thread::getName)
                .sorted().toList();
        List<String> libraries = alive.stream().filter(t -> t.isDaemon() && !ours(t.getName()))
                .map(Thread::getName).sorted().toList();
        System.out.println("Threads left: " + (leaked.isEmpty() ? "none of the harness's" : "LEAKED " + leaked)
                + (libraries.isEmpty() ? "" : "; library daemons that end when idle: " + libraries));
    }

    private static boolean ours(String thread) {
        return thread.startsWith("hexbus") || thread.startsWith("lettuce") || thread.startsWith("HikariPool");
    }
}
