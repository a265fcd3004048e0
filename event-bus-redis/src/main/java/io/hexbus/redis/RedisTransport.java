package io.hexbus.redis;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The Redis transport of one application: connects, and hands out its {@link RedisEventBus}, its workers
 * and its {@link RedisQueueAdmin}.
 *
 * <pre>{@code
 * RedisTransport redis = RedisTransport.connect(RedisConnectionSettings.fromEnvironment(System.getenv()),
 *         RedisQueueSettings.defaults("billing-service"), processor);
 * EventBus bus = redis.eventBus();         // producers
 * EngineWorker worker = redis.startWorker();      // consumers, in this or another process
 * ...
 * redis.close();                           // stops workers gracefully, then disconnects
 * }</pre>
 *
 * <p>The client rejects commands while disconnected instead of buffering them, reconnects with jittered
 * exponential backoff, and bounds every command by {@link RedisQueueSettings#commandTimeout()}. Blocking
 * reads use a connection of their own per worker. Thread-safe.
 *
 * <p>The Redis implementation of the {@link QueuedTransport} port, named {@value #NAME}: a composition root may
 * hold it as that port alone.
 */
public final class RedisTransport implements QueuedTransport {

    /** This transport's {@link #name()}. */
    public static final String NAME = "redis";

    private static final Logger log = LoggerFactory.getLogger(RedisTransport.class);

    private final RedisConnectionSettings connection;
    private final RedisQueueSettings settings;
    private final DomainEventsProcessor processor;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final Keys keys;
    private final Map<String, Keys> queueKeys;
    private final EventCodec codec;
    private final ScriptRunner scripts;
    private final RedisEventBus eventBus;
    private final RedisQueueAdmin admin;
    private final List<EngineWorker> workers = new ArrayList<>();
    private final Set<String> consumedByWorkers = new HashSet<>(); // guarded by this
    private final Set<String> warnedUncovered = new HashSet<>(); // guarded by this
    private final List<String> warnings;
    private final RedisFailures failures;
    private boolean closed; // guarded by this
    // Set once the workers stopped, as the connections close: the bus and the admin then refuse at once, as
    // unavailable, instead of surfacing what the shut-down client throws; so does a call already past that check
    // (RedisFailures reads the flag again). Not before: a draining worker's handlers may still publish.
    private volatile boolean disconnected;

    private RedisTransport(RedisConnectionSettings connection, RedisQueueSettings settings,
                           DomainEventsProcessor processor, ClientResources resources, RedisClient client,
                           StatefulRedisConnection<String, String> shared, List<String> warnings, EventCodec codec) {
        this.connection = connection;
        this.settings = settings;
        this.processor = processor;
        this.resources = resources;
        this.client = client;
        this.shared = shared;
        this.keys = new Keys(settings.keyPrefix(), settings.group());
        Map<String, Keys> perQueue = new LinkedHashMap<>();
        for (String queue : settings.queues()) {
            perQueue.put(queue, Keys.ofQueue(settings.keyPrefix(), queue, settings.group()));
        }
        this.queueKeys = Collections.unmodifiableMap(perQueue);
        this.codec = codec;
        this.scripts = new ScriptRunner(shared.sync());
        this.failures = new RedisFailures(() -> disconnected);
        this.eventBus = new RedisEventBus(scripts, keys, codec, settings, connection.describe(), Clock.systemUTC(),
                processor, failures);
        // Over every queue of the bus, as the registry has them at each call: another application may add one.
        this.admin = new RedisQueueAdmin(shared.sync(), scripts,
                () -> knownQueues(registeredQueues()).stream().map(this::keysFor).toList(), settings, failures,
                this::subscriptionNames);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Connects to Redis and checks it: reachable, logged in, version 6.2 or newer. Warns when Redis may evict
     * keys ({@code maxmemory-policy} other than {@code noeviction}), which would lose events.
     *
     * @param connection where Redis is
     * @param settings   how the transport behaves
     * @param processor  routes consumed events to handlers; its registry names the event types
     * @return the connected transport
     * @throws RedisUnavailableException if Redis cannot be reached or used, naming it and why
     */
    public static RedisTransport connect(RedisConnectionSettings connection, RedisQueueSettings settings,
                                         DomainEventsProcessor processor) {
        return connect(connection, settings, processor, EventCodec.of(processor.eventTypes()));
    }

    /**
     * Connects to Redis and checks it, as {@link #connect(RedisConnectionSettings, RedisQueueSettings,
     * DomainEventsProcessor)} does, with the application's codec: its Jackson modules and size limit.
     *
     * @param connection where Redis is
     * @param settings   how the transport behaves
     * @param processor  routes consumed events to handlers; its registry names the event types
     * @param codec      writes and reads envelopes; built over the processor's registry
     * @return the connected transport
     * @throws RedisUnavailableException if Redis cannot be reached or used, naming it and why
     * @throws IllegalArgumentException if the codec reads another registry than the processor's
     */
    public static RedisTransport connect(RedisConnectionSettings connection, RedisQueueSettings settings,
                                         DomainEventsProcessor processor, EventCodec codec) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(codec, "codec").requireReads(processor.eventTypes());
        ClientResources resources = newResources();
        RedisClient client = newClient(resources, connection, settings);
        try {
            StatefulRedisConnection<String, String> shared = client.connect();
            List<String> warnings = checkServer(shared.sync(), connection);
            register(shared.sync(), settings);
            return new RedisTransport(connection, settings, processor, resources, client, shared, warnings, codec);
        } catch (RedisException e) {
            shutDown(client, resources);
            throw new RedisUnavailableException("cannot use Redis at " + connection.describe() + ": "
                    + rootMessage(e), e);
        } catch (RuntimeException e) {
            shutDown(client, resources);
            throw e;
        }
    }

    static ClientResources newResources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(10), 100,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    static RedisClient newClient(ClientResources resources, RedisConnectionSettings connection,
                                 RedisQueueSettings settings) {
        RedisClient client = RedisClient.create(resources, connection.toRedisUri(settings.commandTimeout()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).keepAlive(true)
                        .build())
                .build());
        return client;
    }

    static void shutDown(RedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the bus that publishes to this transport
     */
    @Override
    public RedisEventBus eventBus() {
        return eventBus;
    }

    /**
     * Adds this transport's queues to the bus's registry ({@link Keys#queueRegistry}): idempotent, and done at
     * connect, where Redis is reachable already (connect fails otherwise), and again at every worker start, which
     * restores a registry deleted meanwhile. Publishing never touches it.
     */
    private static void register(RedisCommands<String, String> redis, RedisQueueSettings settings) {
        redis.sadd(new Keys(settings.keyPrefix(), settings.group()).queueRegistry(),
                settings.queues().toArray(String[]::new));
    }

    /** The queues of the bus's registry, as Redis has them now; a name that is not allowed is ignored. */
    private List<String> registeredQueues() {
        List<String> registered = new ArrayList<>();
        for (String queue : new TreeSet<>(shared.sync().smembers(keys.queueRegistry()))) {
            try {
                registered.add(QueueNames.check(queue));
            } catch (IllegalArgumentException notAllowed) {
                log.warn("Ignoring '{}' in the queue registry {}: not a queue name", queue, keys.queueRegistry());
            }
        }
        return registered;
    }

    /**
     * @param registered the queues of the bus's registry
     * @return this transport's configured queues, in their order, then the registered ones it does not configure
     */
    static List<String> knownQueues(List<String> configured, Collection<String> registered) {
        Set<String> known = new LinkedHashSet<>(configured);
        known.addAll(registered);
        return List.copyOf(known);
    }

    private List<String> knownQueues(Collection<String> registered) {
        return knownQueues(settings.queues(), registered);
    }

    /**
     * @param queues    the queues of the workers this transport started
     * @param known     the configured and the registered queues
     * @return the queues no worker of this transport consumes that only another application routes to: this
     *         transport does not configure them
     */
    static Set<String> uncovered(Collection<String> known, Collection<String> configured, Collection<String> queues) {
        Set<String> uncovered = new TreeSet<>(known);
        uncovered.removeAll(configured);
        uncovered.removeAll(queues);
        return uncovered;
    }

    /** A configured queue's keys, or those of one another application registered on the bus. */
    private Keys keysFor(String queue) {
        Keys configured = queueKeys.get(queue);
        return configured != null ? configured : Keys.ofQueue(settings.keyPrefix(), queue, settings.group());
    }

    /**
     * @return the statistics and dead letters of this transport's consumer group, over all the queues of the bus: its
     *         own ({@link RedisQueueSettings#queues()}) and those other applications registered (routed events to),
     *         read at each call; counters summed, dead letters merged newest first
     */
    @Override
    public RedisQueueAdmin admin() {
        return admin;
    }

    /**
     * @param queue one of {@link RedisQueueSettings#queues()}, or a queue another application registered on the bus
     * @return the statistics and dead letters of this transport's consumer group on that queue alone
     * @throws IllegalArgumentException  if the queue is neither, naming the ones there are
     * @throws RedisUnavailableException if the registry cannot be read for a queue this transport does not configure
     */
    public RedisQueueAdmin admin(String queue) {
        Keys found = queueKeys.containsKey(queue) ? keysFor(queue) : keysOf(queue, readKnownQueues());
        return new RedisQueueAdmin(shared.sync(), scripts, found, settings, failures, this::subscriptionNames);
    }

    /** The application's subscriptions of an event name, as its processor has them now. */
    private List<String> subscriptionNames(String eventName) {
        return processor.subscriptionsFor(eventName).stream().map(Subscription::name).toList();
    }

    private List<String> readKnownQueues() {
        return failures.call("reading the queues of the bus", () -> knownQueues(registeredQueues()));
    }

    private Keys keysOf(String queue, List<String> known) {
        if (!known.contains(queue)) {
            throw new IllegalArgumentException("queue '" + queue + "' is not one of this transport's: "
                    + known + " (a queue is configured by routing an event name to it)");
        }
        return keysFor(queue);
    }

    /**
     * @return what the checks at connect found risky about this Redis (logged at WARN then too), for a health
     *         endpoint; empty when nothing was
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Starts a worker of this transport's consumer group over every queue of the bus known at its start: its own
     * ({@link RedisQueueSettings#queues()}) and those other applications on the same key prefix registered by routing
     * events to them (an application sees every event, whoever routed it where), with equal weight, and
     * {@link RedisQueueSettings#concurrency()} handler slots, so that an application that configured no worker sets
     * still handles everything; with the {@value QueueNames#DEFAULT} queue alone, as before named queues existed. A
     * queue registered after the start is consumed by workers started after it. Call it more than once, or in other
     * processes, to share the work; {@link #startWorker(WorkerQueues)} chooses the queues, their order and the slots.
     *
     * <p>The worker's threads are daemon threads, so they never keep a JVM alive on their own: a worker
     * process keeps its main thread waiting (for a signal, say) and closes the transport in a shutdown hook.
     *
     * @return the running worker; {@link #close()} stops it too
     * @throws RedisUnavailableException if its connection cannot be opened
     * @throws IllegalStateException     if this transport is closed
     */
    @Override
    public synchronized EngineWorker startWorker() {
        return startWorker(WorkerQueues.equal(registerAndReadKnownQueues(), settings.concurrency()));
    }

    private List<String> registerAndReadKnownQueues() {
        return failures.call("registering and reading the queues of the bus", () -> {
            register(shared.sync(), settings);
            return knownQueues(registeredQueues());
        });
    }

    /**
     * Starts a worker of this transport's consumer group on the given queues, in their order ({@link WorkerQueues}),
     * with its own reading connection and {@link WorkerQueues#concurrency()} handler slots: a worker per set of queues
     * gives each set a concurrency of its own. A worker over several queues reads only what its free slots can start
     * at once (no read-ahead), so that a message of a queue it prefers never waits behind messages of another queue
     * read before it; one over a single queue reads ahead {@link RedisQueueSettings#batchSize()} messages.
     *
     * <p>Its threads are daemon threads, as {@link #startWorker()} says.
     *
     * <p>Logs a WARN, once per queue and transport, when a queue another application registered on the bus is
     * consumed by none of this transport's workers (nor configured by it): this consumer group will not handle the
     * events routed there.
     *
     * @param queues which queues, in which order, with how many slots; a queue no event name is routed to, by this
     *               transport or another application on the bus, is refused
     * @return the running worker; {@link #close()} stops it too
     * @throws IllegalArgumentException  if a queue is not one of the bus's, naming the ones there are
     * @throws RedisUnavailableException if its connection cannot be opened
     * @throws IllegalStateException     if this transport is closed
     */
    public synchronized EngineWorker startWorker(WorkerQueues queues) {
        Objects.requireNonNull(queues, "queues");
        if (closed) {
            throw new IllegalStateException("this Redis transport is closed: connect a new one to start workers");
        }
        List<String> known = registerAndReadKnownQueues();
        queues.queues().forEach(queue -> keysOf(queue, known));
        StatefulRedisConnection<String, String> reader;
        try {
            reader = client.connect();
        } catch (RedisException e) {
            throw new RedisUnavailableException("cannot open a worker connection to " + connection.describe()
                    + ": " + rootMessage(e), e);
        }
        // Blocking reads wait up to blockTimeout on the server: give them that plus the command timeout.
        reader.setTimeout(settings.blockTimeout().plus(settings.commandTimeout()));
        String consumer = ConsumerNames.next();
        EngineSettings engine = settings.engineSettings().withConcurrency(queues.concurrency());
        QueueBackend backend;
        if (queues.queues().size() == 1) {
            backend = new RedisQueueBackend(reader, shared.sync(), scripts, keysFor(queues.queues().get(0)), settings,
                    consumer, failures);
        } else {
            Map<String, RedisQueueBackend> backends = new LinkedHashMap<>();
            for (String queue : queues.queues()) {
                backends.put(queue, new RedisQueueBackend(reader, shared.sync(), scripts, keysFor(queue), settings,
                        consumer, failures, backends.isEmpty()));
            }
            backend = new MultiQueueBackend(backends, queues, reader, new Random());
            engine = engine.withReadAhead(0); // read-ahead would queue another queue's messages before a preferred one
        }
        EngineWorker worker = new EngineWorker(backend, new CodecEnvelopeReader(codec), processor, engine, consumer);
        try {
            worker.start(); // closes the reading connection if it fails
        } catch (TransportUnavailableException e) { // the consumer group could not be created: no rights, or gone
            throw new RedisUnavailableException("cannot start a worker on " + connection.describe() + ": "
                    + e.getMessage(), e);
        }
        workers.add(worker);
        consumedByWorkers.addAll(queues.queues());
        Set<String> uncovered = uncovered(known, settings.queues(), consumedByWorkers);
        uncovered.removeAll(warnedUncovered);
        if (!uncovered.isEmpty()) {
            warnedUncovered.addAll(uncovered);
            log.warn("Queues {} of the bus are consumed by no worker of group '{}': another application routes events"
                    + " there that this group will not handle; start a worker over them (startWorker() takes every"
                    + " queue)", uncovered, settings.group());
        }
        if (queues.queues().size() == 1) {
            log.info("Worker {} consuming {} as group '{}'", consumer, keysFor(queues.queues().get(0)).stream(),
                    settings.group());
        } else {
            log.info("Worker {} consuming queues {} as group '{}'", consumer, queues.describe(), settings.group());
        }
        return worker;
    }

    /**
     * Stops every worker this transport started (each within the shutdown deadline, leaving unfinished
     * events pending for other workers) and closes the connections, only once every worker has stopped, also
     * the ones other threads are closing at the same time, so that no finished event loses its
     * acknowledgement. Idempotent: a second call waits for the first and then does nothing. Afterwards its bus
     * and its admin fail as when Redis cannot be used: publishing with an {@link
     * io.hexbus.api.publishing.EventPublishingException} whose cause is a {@link RedisUnavailableException}, the
     * admin with a {@link RedisUnavailableException}.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return; // closing the connections again would only make Lettuce warn that they are closed
        }
        closed = true;
        workers.forEach(EngineWorker::stopFetching); // all stop taking work at once, then each drains
        workers.forEach(EngineWorker::close); // returns once that worker stopped, whoever closes it
        workers.clear();
        disconnected = true;
        shared.close();
        shutDown(client, resources);
    }

    private static List<String> checkServer(RedisCommands<String, String> redis, RedisConnectionSettings connection) {
        String info = redis.info("server");
        String version = info.lines().filter(line -> line.startsWith("redis_version:")).findFirst()
                .map(line -> line.substring("redis_version:".length()).trim()).orElse("0");
        if (!atLeast(version, 6, 2)) {
            throw new RedisUnavailableException("Redis at " + connection.describe() + " is version " + version
                    + "; hexbus needs 6.2 or newer (XPENDING IDLE)", null);
        }
        List<String> warnings = new ArrayList<>();
        try {
            Map<String, String> policy = redis.configGet("maxmemory-policy");
            String value = policy.getOrDefault("maxmemory-policy", "");
            if (!"noeviction".equals(value)) {
                warnings.add("Redis at " + connection.describe() + " has maxmemory-policy=" + value + ": under"
                        + " memory pressure it may evict hexbus keys and lose events; set maxmemory-policy noeviction");
            }
        } catch (RedisException e) {
            log.info("Could not read maxmemory-policy of Redis at {} ({}); make sure it is noeviction",
                    connection.describe(), e.getMessage());
        }
        warnings.forEach(log::warn);
        log.info("Connected to Redis {} at {}", version, connection.describe());
        return warnings;
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || (actualMajor == major && actualMinor >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == e ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
