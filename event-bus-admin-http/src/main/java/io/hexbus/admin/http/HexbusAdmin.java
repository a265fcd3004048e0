package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.transport.QueuedTransport;
import io.javalin.router.JavalinDefaultRoutingApi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The queue admin JSON API under {@code /api/v1/} and the dashboard under {@code /ui}, over the {@link QueueAdmin}
 * of a queued transport, to add to a Javalin app:
 * {@code Javalin.create(config -> config.router.mount(admin::register))}, or {@code admin.register(app)}.
 *
 * <p>Every admin route demands {@code Authorization: Bearer <token>} ({@link TokenGuard}: constant-time compare,
 * never a cookie) and answers every error, a transport's failure too, as an RFC 7807 problem document by itself:
 * it adds no app-wide before- or exception handler. Without a token the routes answer 404 {@code admin-disabled}
 * (unless insecure) and the dashboard is never served. A path under {@value #PREFIX} that no route of the app
 * serves answers as an admin route would: 404 {@code admin-disabled}, 401 without the token, else 404
 * {@code not-found}; for that the app gets a 404 error handler that acts on such paths only, and leaves alone the
 * app's own routes (under the prefix too) and any answer already marked {@link AdminJson#PROBLEM_WRITTEN}.
 * Immutable and thread-safe once built; {@link #register} may be called on several apps.
 */
public final class HexbusAdmin {

    /** The path prefix of every admin route: {@code /api/v1/queues/…} and {@code /api/v1/schedules}. */
    public static final String PREFIX = "/api/v1/";

    private final TokenGuard guard;
    private final AdminJson json;
    private final StatsRoutes stats;
    private final SubscriptionRoutes subscriptions;
    private final DeadLetterRoutes deadLetters;
    private final ScheduleRoutes schedules;
    private final DashboardRoutes dashboard;
    private final UnknownAdminPaths unknownPaths;

    private HexbusAdmin(Builder builder) {
        this.guard = new TokenGuard(builder.token, builder.insecure);
        this.json = new AdminJson();
        Optional<QueueGroup> group = builder.admin.map(QueueGroup::new);
        this.stats = new StatsRoutes(builder.admin, group, builder.transport, builder.sections, json);
        this.subscriptions = new SubscriptionRoutes(builder.admin, group, builder.transport, json);
        this.deadLetters = new DeadLetterRoutes(builder.admin, json);
        this.schedules = new ScheduleRoutes(builder.schedules, json);
        this.dashboard = new DashboardRoutes(guard, json);
        this.unknownPaths = new UnknownAdminPaths(guard, json);
    }

    /** @return a builder: no queue, no token, nothing insecure, no schedules */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the admin routes and the dashboard to an app: a {@code Javalin} instance before it starts, or the routing
     * of {@code config.router.mount(...)}.
     *
     * @param routing where to add them
     */
    public void register(JavalinDefaultRoutingApi<?> routing) {
        AdminRouter router = new AdminRouter(routing, guard, json);
        stats.register(router);
        subscriptions.register(router);
        deadLetters.register(router);
        schedules.register(router);
        dashboard.register(routing);
        unknownPaths.register(routing);
    }

    /** @return the guard of the admin routes, for an app that protects more routes the same way */
    public TokenGuard guard() {
        return guard;
    }

    /** @return the JSON reader and writer of the admin routes, for an app that answers problems the same way */
    public AdminJson json() {
        return json;
    }

    /** Collects what the admin routes read. Not thread-safe; build once at start. */
    public static final class Builder {

        private Optional<QueueAdmin> admin = Optional.empty();
        private String transport = NoQueue.TRANSPORT;
        private Optional<String> token = Optional.empty();
        private boolean insecure;
        private Supplier<List<ScheduleStatus>> schedules = List::of;
        private final Map<String, Supplier<?>> sections = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param transport the queued transport whose {@link QueuedTransport#admin()} the routes wrap and whose
         *                  {@link QueuedTransport#name()} they report, or empty (no queue: the statistics say so and
         *                  the dead-letter routes answer 409)
         * @return this builder
         */
        public Builder transport(Optional<? extends QueuedTransport> transport) {
            this.admin = transport.map(QueuedTransport::admin);
            this.transport = transport.map(QueuedTransport::name).orElse(NoQueue.TRANSPORT);
            return this;
        }

        /**
         * @param transport the queued transport whose {@link QueuedTransport#admin()} the routes wrap and whose
         *                  {@link QueuedTransport#name()} they report
         * @return this builder
         */
        public Builder transport(QueuedTransport transport) {
            return transport(Optional.of(transport));
        }

        /**
         * @param admin the queue's admin port
         * @param name  the transport's name, as the statistics report it
         * @return this builder
         */
        public Builder queue(QueueAdmin admin, String name) {
            this.admin = Optional.of(admin);
            this.transport = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param token the bearer token (at least {@value TokenGuard#MIN_TOKEN_LENGTH} printable ASCII characters),
         *              or null or blank for none: then nothing is served unless {@link #insecure(boolean)}
         * @return this builder
         */
        public Builder adminToken(String token) {
            this.token = Optional.ofNullable(token).map(String::trim).filter(given -> !given.isEmpty());
            return this;
        }

        /**
         * @param insecure serve the admin routes (never the dashboard) without a token when none is set: a trusted
         *                 network only
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * @param schedules reads the recurring events for {@code GET /api/v1/schedules}; called on every request,
         *                  from the server's threads; must not block
         * @return this builder
         */
        public Builder schedules(Supplier<List<ScheduleStatus>> schedules) {
            this.schedules = Objects.requireNonNull(schedules, "schedules");
            return this;
        }

        /**
         * Adds a member to {@code GET /api/v1/queues/stats}.
         *
         * @param name    the member's name
         * @param section reads its value, a JSON-writable object, or null to leave it out; called on every request
         * @return this builder
         */
        public Builder statsSection(String name, Supplier<?> section) {
            sections.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(section, "section"));
            return this;
        }

        /**
         * @return the admin routes
         * @throws IllegalArgumentException if the token is too short or holds a character that is not allowed
         * @throws IllegalStateException    if uPlot's webjar (a dependency of this module) is not on the class path
         */
        public HexbusAdmin build() {
            return new HexbusAdmin(this);
        }
    }
}
