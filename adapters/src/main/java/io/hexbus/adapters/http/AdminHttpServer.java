package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.admin.http.AdminJson;
import io.hexbus.admin.http.FailureProblems;
import io.hexbus.admin.http.HexbusAdmin;
import io.hexbus.admin.http.Problem;
import io.hexbus.admin.http.TokenGuard;
import io.hexbus.adapters.metrics.OutboxHealth;
import io.hexbus.adapters.metrics.QueueMetrics;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.transport.QueuedTransport;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The HTTP server of the app (Javalin on Jetty): the queue admin API under {@code /api/v1/queues} and the
 * dashboard under {@code /ui} (both from {@link HexbusAdmin}, module event-bus-admin-http), {@code GET /metrics} (Prometheus text, {@link QueueMetrics}), {@code GET /health} and its OpenAPI document,
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
 * <p>A transport's failure is told apart from a bug by its transport-neutral type ({@link FailureProblems}): 504
 * {@code queue-timeout}, 503 {@code queue-unavailable}; every other exception, an {@link IllegalStateException}
 * too, is 500 {@code internal}.
 */
public final class AdminHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

    /** The largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = AdminJson.MAX_BODY_BYTES;

    private static final String JSON = "application/json";
    private static final String IN_MEMORY = "in-memory";

    private final Javalin javalin;
    private final HttpSettings settings;
    private final ObjectMapper mapper;
    private final AdminJson json;
    private final HexbusAdmin queueAdmin;
    private final QueueMetrics metrics;
    private final String openApi;
    private final Optional<SampleHttpRoutes> sample;
    private final ObservedOutbox outbox = new ObservedOutbox();
    private final HealthRoute health;
    // Set once after start by observeSchedules, read by the request threads.
    private volatile Supplier<List<ScheduleStatus>> schedules = List::of;

    private AdminHttpServer(HttpSettings settings, Optional<QueueAdmin> admin, String transport,
                            IntSupplier workersRunning, Optional<SampleHttpRoutes> sample) {
        this.settings = settings;
        this.sample = sample;
        HexbusAdmin.Builder builder = HexbusAdmin.builder()
                .adminToken(settings.adminToken().orElse(null))
                .insecure(settings.insecure())
                .schedules(() -> schedules.get())
                .statsSection("outbox", () -> outbox.stats().orElse(null));
        admin.ifPresent(queue -> builder.queue(queue, transport));
        this.queueAdmin = builder.build();
        this.json = queueAdmin.json();
        this.mapper = json.mapper();
        this.metrics = new QueueMetrics(admin, Clock.systemUTC());
        this.health = new HealthRoute(admin, transport, workersRunning, outbox, json);
        this.openApi = OpenApiDocument.of(mapper, sample.isPresent());
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
            log.info("HTTP on {}:{}: admin API at {}queues and /metrics (bearer token from {}), dashboard at /ui,"
                    + " health at /health", settings.host(), server.port(), HexbusAdmin.PREFIX,
                    HttpSettings.ADMIN_TOKEN);
        } else if (settings.insecure()) {
            log.warn("HTTP on {}:{}: admin API at {}queues WITHOUT authentication ({}=true and no {}): anyone who"
                    + " can reach this address can retry and delete dead letters", settings.host(), server.port(),
                    HexbusAdmin.PREFIX, HttpSettings.ADMIN_INSECURE, HttpSettings.ADMIN_TOKEN);
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
        javalin.before(HexbusAdmin.PREFIX + "*", ctx -> {
            if (sample.isPresent() && isSamplePath(ctx.path())) {
                TokenGuard.requireJson(ctx);
            } else {
                queueAdmin.guard().check(ctx);
            }
        });
        javalin.before("/metrics", ctx -> queueAdmin.guard().check(ctx));
        javalin.get("/health", health::handle);
        javalin.get("/openapi.json", ctx -> {
            ctx.contentType(JSON);
            ctx.result(openApi);
        });
        javalin.get("/metrics", ctx -> {
            ctx.contentType(QueueMetrics.contentType());
            ctx.result(metrics.scrape());
        });
        queueAdmin.register(javalin);
        sample.ifPresent(routes -> routes.register(javalin, mapper));
        javalin.exception(Problem.class, (problem, ctx) -> json.writeProblem(ctx, problem));
        javalin.exception(HttpResponseException.class, (e, ctx) -> json.writeProblem(ctx,
                ProblemErrorHandler.problemFor(e.getStatus()).withDetail(e.getStatus() == 404
                        ? "no such route: " + ctx.method() + " " + AdminJson.abbreviate(ctx.path())
                        : e.getMessage())));
        javalin.exception(Exception.class, (e, ctx) -> json.writeProblem(ctx, FailureProblems.problemFor(ctx, e)));
        javalin.error(404, ctx -> {
            if (ctx.attribute(AdminJson.PROBLEM_WRITTEN) == null) {
                json.writeProblem(ctx, Problem.notFound("no such route: " + ctx.method() + " "
                        + AdminJson.abbreviate(ctx.path())));
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
        this.outbox.observe(outbox);
    }
}
