package io.hexbus.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hexbus.adapters.metrics.OutboxHealth;
import io.hexbus.adapters.metrics.QueueMetrics;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The HTTP server of the app (Javalin on Jetty): the queue admin API under {@code /api/v1/queues},
 * {@code GET /metrics} (Prometheus text, {@link QueueMetrics}), {@code GET /health} and its OpenAPI document,
 * {@code GET /openapi.json}. Started by {@link #start}, stopped by {@link #close()}.
 *
 * <p>The admin routes wrap the {@link QueueAdmin} of a {@link QueuedTransport}; without one (the in-memory
 * transport) the statistics say there is no queue and the dead-letter routes answer 409. They demand {@code Authorization: Bearer <token>}
 * (compared in constant time; never a cookie, never logged), and are not served at all when no token is
 * configured, unless the insecure flag is set; so does {@code /metrics}. Mutating calls accept {@code application/json} only, request
 * bodies are limited to {@value #MAX_BODY_BYTES} bytes, no CORS header is ever sent, and every error is an
 * RFC 7807 {@code application/problem+json} document, also those Jetty answers before any route runs
 * ({@link ProblemErrorHandler}).
 *
 * <p>A transport's failure is told apart from a bug by its transport-neutral type, found anywhere in the
 * exception's causes: a {@link TransportTimeoutException} is 504 {@code queue-timeout}, any other
 * {@link TransportUnavailableException} 503 {@code queue-unavailable}; every other exception, an
 * {@link IllegalStateException} too, is 500 {@code internal}.
 */
public final class AdminHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

    /** The largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** The largest page of dead letters. */
    public static final int MAX_LIMIT = 1_000;
    /** The page size when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 50;
    /** The longest age {@code POST /api/v1/queues/clean} accepts: ten years, in seconds. */
    public static final long MAX_CLEAN_SECONDS = 10L * 366 * 24 * 3600;

    private static final String ADMIN_PREFIX = "/api/v1/";
    private static final String PROBLEM_JSON = ProblemErrorHandler.PROBLEM_JSON;
    private static final String JSON = "application/json";
    private static final String PROBLEM_WRITTEN = "hexbus.problem-written";
    private static final String IN_MEMORY = "in-memory";

    private final Javalin javalin;
    private final HttpSettings settings;
    private final Optional<QueueAdmin> admin;
    private final String transport;
    private final IntSupplier workersRunning;
    private final ObjectMapper mapper;
    private final Optional<byte[]> tokenDigest;
    private final QueueMetrics metrics;
    private final String openApi;
    private final Optional<SampleHttpRoutes> sample;
    // Set once after start by observeOutbox, read by the request threads.
    private volatile Supplier<OutboxHealth> outbox;
    // Set once after start by observeSchedules, read by the request threads.
    private volatile Supplier<List<ScheduleStatus>> schedules = List::of;

    private AdminHttpServer(HttpSettings settings, Optional<QueueAdmin> admin, String transport,
                            IntSupplier workersRunning, Optional<SampleHttpRoutes> sample) {
        this.settings = settings;
        this.sample = sample;
        this.admin = admin;
        this.transport = transport;
        this.workersRunning = workersRunning;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxDocumentLength(MAX_BODY_BYTES).maxStringLength(MAX_BODY_BYTES).build());
        this.tokenDigest = settings.tokenBytes().map(AdminHttpServer::sha256);
        this.metrics = new QueueMetrics(admin, Clock.systemUTC());
        this.openApi = openApiDocument(mapper, sample.isPresent());
        this.javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // Errors Jetty answers before any route (unparsable requests, %00, URL or headers over 8 KiB) are
            // problem documents too; the context's handler covers what happens inside the servlet.
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(mapper)));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(
                    new ProblemErrorHandler(mapper)));
        });
        routes();
    }

    /**
     * Binds the address before Javalin starts, on a connector of our own (Javalin then adds none): a port in use
     * is then this method's exception, reported once by the caller, instead of Javalin's own "Failed to start"
     * error line followed by ours.
     *
     * @throws IOException if the address cannot be bound
     */
    private void listen() throws IOException {
        Server jetty = javalin.jettyServer().server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.RFC3986); // as Javalin's own connector
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.open();
        jetty.addConnector(connector);
    }

    /**
     * Starts the server on {@link HttpSettings#host()} and {@link HttpSettings#port()}, without the sample
     * service's routes.
     *
     * @param settings       where to listen and the admin token
     * @param transport      the queued transport, whose name and admin port the server reports, or empty on the
     *                       in-memory transport
     * @param workersRunning how many workers this process runs, for the health check
     * @return the started server
     * @throws IllegalStateException if it cannot listen there, naming the address
     */
    public static AdminHttpServer start(HttpSettings settings, Optional<? extends QueuedTransport> transport,
                                        IntSupplier workersRunning) {
        return start(settings, transport, workersRunning, Optional.empty());
    }

    /**
     * Starts the server on {@link HttpSettings#host()} and {@link HttpSettings#port()}, with the sample service's
     * routes under {@value SampleHttpRoutes#PREFIX} when they are given (no admin token; JSON only). The
     * transport's {@link QueuedTransport#name()} and its {@link QueuedTransport#admin()} are taken together, so
     * {@code /health} and the statistics name the transport whose queue they read.
     *
     * @param settings       where to listen and the admin token
     * @param transport      the queued transport, whose name and admin port the server reports, or empty on the
     *                       in-memory transport (reported as {@code in-memory}); the server does not close it
     * @param workersRunning how many workers this process runs, for the health check
     * @param sample         the sample service's routes, or empty: then {@value SampleHttpRoutes#PREFIX} is not
     *                       served (it is guarded like any other unknown admin path)
     * @return the started server
     * @throws IllegalStateException if it cannot listen there, naming the address
     */
    public static AdminHttpServer start(HttpSettings settings, Optional<? extends QueuedTransport> transport,
                                        IntSupplier workersRunning, Optional<SampleHttpRoutes> sample) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(workersRunning, "workersRunning");
        Objects.requireNonNull(sample, "sample");
        Optional<QueueAdmin> admin = transport.map(QueuedTransport::admin);
        String name = transport.map(QueuedTransport::name).orElse(IN_MEMORY);
        AdminHttpServer server = new AdminHttpServer(settings, admin, name, workersRunning, sample);
        try {
            server.listen();
        } catch (IOException cannotBind) {
            throw new IllegalStateException("the HTTP server cannot listen on " + settings.host() + ":"
                    + settings.port() + " (" + HttpSettings.HOST + ", " + HttpSettings.PORT + "): "
                    + rootMessage(cannotBind), cannotBind);
        }
        try {
            server.javalin.start();
        } catch (RuntimeException failed) {
            server.javalin.stop();
            throw new IllegalStateException("the HTTP server cannot listen on " + settings.host() + ":"
                    + settings.port() + " (" + HttpSettings.HOST + ", " + HttpSettings.PORT + "): " + rootMessage(failed),
                    failed);
        }
        if (settings.adminToken().isPresent()) {
            log.info("HTTP on {}:{}: admin API at {}queues and /metrics (bearer token from {}), health at /health",
                    settings.host(), server.port(), ADMIN_PREFIX, HttpSettings.ADMIN_TOKEN);
        } else if (settings.insecure()) {
            log.warn("HTTP on {}:{}: admin API at {}queues WITHOUT authentication ({}=true and no {}): anyone who"
                    + " can reach this address can retry and delete dead letters", settings.host(), server.port(),
                    ADMIN_PREFIX, HttpSettings.ADMIN_INSECURE, HttpSettings.ADMIN_TOKEN);
        } else {
            log.info("HTTP on {}:{}: health at /health; the admin API is off (set {} to serve it)",
                    settings.host(), server.port(), HttpSettings.ADMIN_TOKEN);
        }
        if (sample.isPresent()) {
            log.info("HTTP on {}:{}: the sample service's API at {} (no token: the service's own API)",
                    settings.host(), server.port(), SampleHttpRoutes.PREFIX);
        }
        return server;
    }

    /**
     * @return the port the server listens on (the one picked, when {@link HttpSettings#port()} was 0)
     */
    public int port() {
        return javalin.port();
    }

    /**
     * Stops the server: it takes no new requests, and lets the running ones finish.
     */
    @Override
    public void close() {
        javalin.stop();
    }

    private void routes() {
        javalin.before(ctx -> {
            long length = ctx.req().getContentLengthLong();
            if (length > MAX_BODY_BYTES) {
                throw Problem.bodyTooLarge(MAX_BODY_BYTES);
            }
        });
        javalin.before(ADMIN_PREFIX + "*", ctx -> {
            if (sample.isPresent() && isSamplePath(ctx.path())) {
                requireJson(ctx);
            } else {
                guardAdmin(ctx);
            }
        });
        javalin.before("/metrics", this::guardAdmin);
        javalin.get("/health", this::health);
        javalin.get("/openapi.json", ctx -> {
            ctx.contentType(JSON);
            ctx.result(openApi);
        });
        javalin.get("/metrics", ctx -> {
            ctx.contentType(QueueMetrics.contentType());
            ctx.result(metrics.scrape());
        });
        javalin.get(ADMIN_PREFIX + "queues/stats", this::stats);
        javalin.get(ADMIN_PREFIX + "queues/failed", this::failed);
        javalin.get(ADMIN_PREFIX + "queues/failed/{id}", this::failedOne);
        javalin.post(ADMIN_PREFIX + "queues/failed/{id}/retry", this::retry);
        javalin.post(ADMIN_PREFIX + "queues/failed/retry-all", this::retryAll);
        javalin.delete(ADMIN_PREFIX + "queues/failed/{id}", this::remove);
        javalin.post(ADMIN_PREFIX + "queues/clean", this::clean);
        javalin.get(ADMIN_PREFIX + "schedules", this::schedules);
        sample.ifPresent(routes -> routes.register(javalin, mapper));
        javalin.exception(Problem.class, (problem, ctx) -> writeProblem(ctx, problem));
        javalin.exception(HttpResponseException.class, (e, ctx) -> writeProblem(ctx,
                ProblemErrorHandler.problemFor(e.getStatus()).withDetail(e.getStatus() == 404
                        ? "no such route: " + ctx.method() + " " + abbreviate(ctx.path()) : e.getMessage())));
        javalin.exception(Exception.class, (e, ctx) -> {
            Optional<TransportUnavailableException> transportFailure = TransportUnavailableException.findIn(e);
            if (transportFailure.isPresent()) {
                log.warn("HTTP {} {} failed: {}", ctx.method(), abbreviate(ctx.path()),
                        transportFailure.get().getMessage());
                writeProblem(ctx, transportFailure.get() instanceof TransportTimeoutException
                        ? Problem.of(504, "queue-timeout", "Queue timeout", "the queue's store did not answer in"
                        + " time; the operation may have taken effect: check before repeating it")
                        : Problem.of(503, "queue-unavailable", "Queue unavailable",
                        "the queue's store cannot be used now; see the server log"));
                return;
            }
            log.error("HTTP {} {} failed", ctx.method(), abbreviate(ctx.path()), e);
            writeProblem(ctx, Problem.of(500, "internal", "Internal error", "see the server log"));
        });
        javalin.error(404, ctx -> {
            if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                writeProblem(ctx, Problem.notFound("no such route: " + ctx.method() + " " + abbreviate(ctx.path())));
            }
        });
    }

    /**
     * @return true for a path under the sample prefix that cannot name another route once normalised (no dot
     *         segments, no encoded dots, no empty segments, no matrix parameters)
     */
    static boolean isSamplePath(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return path.startsWith(SampleHttpRoutes.PREFIX) && !path.contains("/.") && !lower.contains("%2e")
                && !lower.contains("%2f") && !lower.contains("%5c") && !path.contains("\\")
                && !path.substring(1).contains("//") && !path.contains(";");
    }

    private void guardAdmin(Context ctx) {
        if (!settings.adminServed()) {
            throw Problem.of(404, "admin-disabled", "Admin API disabled", "the admin API is not served: set "
                    + HttpSettings.ADMIN_TOKEN + " (or " + HttpSettings.ADMIN_INSECURE + "=true on a trusted network)");
        }
        if (tokenDigest.isPresent()) {
            String header = ctx.header("Authorization");
            String prefix = "bearer ";
            byte[] given = header != null && header.length() > prefix.length()
                    && header.regionMatches(true, 0, prefix, 0, prefix.length())
                    ? header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            if (!MessageDigest.isEqual(sha256(given), tokenDigest.get())) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"hexbus-admin\"");
                throw Problem.of(401, "unauthorized", "Unauthorized",
                        "send the admin token as 'Authorization: Bearer <token>'");
            }
        }
        requireJson(ctx);
    }

    /** Mutating calls accept {@code application/json} only: 415 otherwise. */
    private static void requireJson(Context ctx) {
        HandlerType method = ctx.method();
        if (method == HandlerType.POST || method == HandlerType.DELETE || method == HandlerType.PUT
                || method == HandlerType.PATCH) {
            String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.equals(JSON)) {
                throw Problem.of(415, "unsupported-media-type", "Unsupported media type",
                        "send Content-Type: application/json");
            }
        }
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = true;
        if (admin.isEmpty()) {
            body.put("status", "UP");
            body.put("transport", IN_MEMORY);
            body.put("redisReachable", null);
            body.put("workersRunning", null);
            body.put("consumerLag", null);
        } else {
            Long lag = null;
            try {
                lag = admin.get().stats().waiting();
            } catch (RuntimeException unreachable) {
                up = false;
                log.warn("Health: the queue cannot be read: {}", unreachable.getMessage());
            }
            body.put("status", up ? "UP" : "DOWN");
            body.put("transport", transport);
            body.put("redisReachable", transport.equals("redis") ? up : null); // named before other queues existed
            body.put("workersRunning", workersRunning.getAsInt());
            body.put("consumerLag", lag);
        }
        Supplier<OutboxHealth> observed = outbox;
        if (observed != null) {
            Map<String, Object> outboxBody = outboxHealth(observed);
            up &= "UP".equals(outboxBody.get("status"));
            body.put("status", up ? "UP" : "DOWN");
            body.put("outbox", outboxBody);
        }
        writeJson(ctx, up ? 200 : 503, body);
    }

    /**
     * What {@code /health} says of the outbox: DOWN when it cannot forward (its relay failing too long, or an event
     * waiting too long) or cannot be read, with its backlog. The relay's last error is in the log, not here: this
     * route answers without a token.
     *
     * @param outbox reads the outbox's health
     * @return the outbox's part of the health document
     */
    static Map<String, Object> outboxHealth(Supplier<OutboxHealth> outbox) {
        return outboxBody(outbox, false);
    }

    private static Map<String, Object> outboxBody(Supplier<OutboxHealth> outbox, boolean withRelay) {
        Map<String, Object> body = new LinkedHashMap<>();
        OutboxHealth health;
        try {
            health = outbox.get();
        } catch (RuntimeException unreadable) {
            log.warn("Health: the outbox cannot be read: {}", unreadable.getMessage());
            body.put("status", "DOWN");
            body.put("waiting", null);
            body.put("oldestWaitingAgeSeconds", null);
            body.put("dead", null);
            body.put("failingSince", null);
            return body;
        }
        body.put("status", health.healthy() ? "UP" : "DOWN");
        body.put("waiting", health.waiting());
        body.put("oldestWaitingAgeSeconds", health.oldestWaitingAge().toMillis() / 1000.0);
        body.put("dead", health.dead());
        body.put("failingSince", health.failingSince().orElse(null));
        if (withRelay) {
            body.put("forwarded", health.forwarded());
            body.put("lastError", health.lastError().orElse(null));
        }
        return body;
    }

    private void stats(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (admin.isEmpty()) {
            body.put("transport", IN_MEMORY);
            body.put("queue", false);
            body.put("detail", "no queue on the in-memory transport: handlers run in the publisher's thread");
        } else {
            QueueStats stats = admin.get().stats();
            body.put("transport", transport);
            body.put("queue", true);
            body.put("group", stats.group());
            body.put("waiting", stats.waiting());
            body.put("active", stats.active());
            body.put("reserved", stats.reserved());
            body.put("retryScheduled", stats.retryScheduled());
            body.put("scheduled", stats.scheduled());
            body.put("completed", stats.completed());
            body.put("deadLettered", stats.deadLettered());
            body.put("failedAttempts", stats.failedAttempts());
            body.put("takeovers", stats.takeovers());
            body.put("unhandled", stats.unhandled());
        }
        Supplier<OutboxHealth> observed = outbox;
        if (observed != null) {
            body.put("outbox", outboxStats(observed));
        }
        writeJson(ctx, 200, body);
    }

    private void schedules(Context ctx) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ScheduleStatus status : schedules.get()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", status.name());
            item.put("kind", status.schedule() instanceof Schedule.Cron ? "cron" : "fixed-rate");
            item.put("schedule", status.schedule().description());
            item.put("zone", status.schedule().zone().getId());
            item.put("missedTicks", status.missedTicks().name());
            item.put("nextRun", status.nextRun().toString());
            item.put("lastTick", status.lastTick().map(tick -> {
                Map<String, Object> last = new LinkedHashMap<>();
                last.put("at", tick.at().toString());
                last.put("eventId", tick.eventId().toString());
                last.put("outcome", tick.outcome().name());
                last.put("publishedAt", tick.publishedAt().toString());
                return last;
            }).orElse(null));
            item.put("ticksMissed", status.ticksMissed());
            item.put("lastError", status.lastError().orElse(null));
            listed.add(item);
        }
        writeJson(ctx, 200, Map.of("schedules", listed));
    }

    /**
     * What the statistics say of the outbox: what the health says, and, behind the token, the rows this process's
     * relay forwarded and its last error.
     */
    private static Map<String, Object> outboxStats(Supplier<OutboxHealth> outbox) {
        return outboxBody(outbox, true);
    }

    private void failed(Context ctx) {
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean includePayload = includePayload(ctx);
        DeadLetterPage page = queue().deadLetters(offset, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        page.items().forEach(letter -> items.add(deadLetter(letter, includePayload)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("offset", page.offset());
        body.put("limit", limit);
        body.put("total", page.total());
        writeJson(ctx, 200, body);
    }

    private void failedOne(Context ctx) {
        UUID id = eventId(ctx);
        boolean includePayload = includePayload(ctx);
        DeadLetter letter = queue().deadLetter(id).orElseThrow(() -> noDeadLetter(id));
        writeJson(ctx, 200, deadLetter(letter, includePayload));
    }

    private void retry(Context ctx) {
        UUID id = eventId(ctx);
        if (!queue().retry(id)) {
            throw noDeadLetter(id);
        }
        log.info("Admin API: dead letter {} queued again", id);
        writeJson(ctx, 200, Map.of("eventId", id, "retried", true));
    }

    private void retryAll(Context ctx) {
        int retried = queue().retryAll();
        log.info("Admin API: {} dead letters queued again (retry-all)", retried);
        writeJson(ctx, 200, Map.of("retried", retried));
    }

    private void remove(Context ctx) {
        UUID id = eventId(ctx);
        if (!queue().remove(id)) {
            throw noDeadLetter(id);
        }
        log.info("Admin API: dead letter {} removed", id);
        writeJson(ctx, 200, Map.of("eventId", id, "removed", true));
    }

    private void clean(Context ctx) {
        JsonNode body = readBody(ctx);
        if (!body.isObject()) {
            throw Problem.badRequest("send a JSON object: {\"olderThanSeconds\": N}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("olderThanSeconds") && !name.equals("state")) {
                throw Problem.badRequest("unknown field '" + name + "': send {\"olderThanSeconds\": N} and"
                        + " optionally \"state\": \"failed\"");
            }
        }
        JsonNode state = body.get("state");
        if (state != null && !(state.isTextual() && state.asText().equals("failed"))) {
            throw Problem.badRequest("state: only \"failed\" (the dead-letter queue) can be cleaned");
        }
        JsonNode older = body.get("olderThanSeconds");
        if (older == null || older.isNull()) {
            throw Problem.badRequest("olderThanSeconds is required: an unbounded clean is refused");
        }
        if (!older.canConvertToLong() || !older.isIntegralNumber() || older.asLong() < 1
                || older.asLong() > MAX_CLEAN_SECONDS) {
            throw Problem.badRequest("olderThanSeconds must be a whole number from 1 to " + MAX_CLEAN_SECONDS);
        }
        QueueAdmin queue = queue();
        Duration age = Duration.ofSeconds(older.asLong());
        int removed = queue.cleanDeadLetters(age);
        log.info("Admin API: {} dead letters older than {} removed", removed, age);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", "failed");
        answer.put("olderThanSeconds", older.asLong());
        answer.put("removed", removed);
        writeJson(ctx, 200, answer);
    }

    private QueueAdmin queue() {
        return admin.orElseThrow(Problem::noQueue);
    }

    private JsonNode readBody(Context ctx) {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw Problem.bodyTooLarge(MAX_BODY_BYTES);
        }
        if (bytes.length == 0) {
            throw Problem.badRequest("send a JSON object: {\"olderThanSeconds\": N}");
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException malformed) {
            throw Problem.badRequest("the body is not valid JSON");
        }
    }

    private Map<String, Object> deadLetter(DeadLetter letter, boolean includePayload) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("eventId", letter.eventId());
        item.put("eventName", letter.eventName());
        item.put("failedSubscriptions", letter.failedSubscriptions());
        item.put("attempts", letter.attempts());
        item.put("lastError", letter.lastError());
        item.put("firstFailedAt", letter.firstFailedAt());
        item.put("lastFailedAt", letter.lastFailedAt());
        if (includePayload) {
            Object envelope;
            try {
                envelope = letter.envelope() == null ? null : mapper.readTree(letter.envelope());
            } catch (IOException | RuntimeException notJson) { // a malformed entry is dead-lettered as it came
                envelope = letter.envelope();
            }
            item.put("envelope", envelope);
        }
        return item;
    }

    private static UUID eventId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equalsIgnoreCase(text)) {
                return id;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw Problem.badRequest("'" + abbreviate(text) + "' is not an event id: use a UUID like"
                + " 0190f3c2-7a1b-7c3d-9e4f-123456789abc");
    }

    private static Problem noDeadLetter(UUID id) {
        return Problem.notFound("no dead letter with event id " + id);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw Problem.badRequest(name + "='" + abbreviate(text) + "': use a whole number from " + min + " to " + max);
    }

    private static boolean includePayload(Context ctx) {
        String text = ctx.queryParam("includePayload");
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw Problem.badRequest("includePayload='" + abbreviate(text) + "': use true or false (the default)");
    }

    private void writeJson(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType(JSON);
        ctx.result(toJson(body));
    }

    private void writeProblem(Context ctx, Problem problem) {
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(problem.status());
        ctx.contentType(PROBLEM_JSON);
        ctx.result(toJson(problem.body()));
    }

    private String toJson(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    /** @return the text with its unprintable characters replaced, cut at 64 characters, for messages and logs */
    static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }

    /** @return the OpenAPI document, with the sample routes' paths and schemas when they are served */
    private static String openApiDocument(ObjectMapper mapper, boolean withSample) {
        String document = resource("openapi.json");
        if (!withSample) {
            return document;
        }
        try {
            ObjectNode root = (ObjectNode) mapper.readTree(document);
            JsonNode sampleDocument = mapper.readTree(resource("openapi-sample.json"));
            ((ObjectNode) root.get("paths")).setAll((ObjectNode) sampleDocument.get("paths"));
            ((ObjectNode) root.get("components").get("schemas"))
                    .setAll((ObjectNode) sampleDocument.get("components").get("schemas"));
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = AdminHttpServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Serves, on {@code /metrics}, the events published, consumed, failed and dead-lettered and the handler
     * durations of the transports that use this processor.
     *
     * @param processor the processor the transports dispatch through
     */
    public void observe(io.hexbus.api.handling.DomainEventsProcessor processor) {
        metrics.observe(processor);
    }

    /**
     * Lists the recurring events on {@code GET /api/v1/schedules} (behind the admin token). Until called, the list
     * is empty. Call it once, after {@link #start}.
     *
     * @param schedules reads the schedules, as {@link io.hexbus.api.scheduling.RecurringEvents#schedules()} does;
     *                  called on every request, from the server's threads; must not block
     */
    public void observeSchedules(Supplier<List<ScheduleStatus>> schedules) {
        this.schedules = Objects.requireNonNull(schedules, "schedules");
    }

    /**
     * Shows the transactional outbox on {@code /health} ({@code outbox}; the whole health is DOWN while the outbox
     * cannot forward) and on {@code /metrics} ({@code hexbus_outbox_*}). Call it once, after {@link #start}.
     *
     * @param outbox reads the outbox's health; called on every request to {@code /health} and every scrape, from
     *               the server's threads; it may block on a short database read, and throw when it cannot
     */
    public void observeOutbox(Supplier<OutboxHealth> outbox) {
        Objects.requireNonNull(outbox, "outbox");
        metrics.observeOutbox(outbox);
        this.outbox = outbox;
    }
}
