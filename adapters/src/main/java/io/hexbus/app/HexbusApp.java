package io.hexbus.app;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import io.hexbus.adapters.guice.HandlerRegistry;
import io.hexbus.adapters.guice.OutboxForwarding;
import io.hexbus.adapters.guice.QueueWorkers;
import io.hexbus.adapters.guice.RecurringEventsRegistry;
import io.hexbus.adapters.guice.TransportBus;
import io.hexbus.adapters.http.AdminHttpServer;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.application.RecordInvoiceAudit;
import io.hexbus.sample.shared.Links;
import io.hexbus.scheduling.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The sample service's entry point and composition root. It reads the configuration once ({@link AppConfig}:
 * the environment, and the properties file named by {@code HEXBUS_CONFIG_FILE}), installs exactly one
 * transport module (in memory; or, when {@code USE_QUEUE_EVENT_BUS=true}, the queue {@code HEXBUS_TRANSPORT}
 * names: Redis by default, {@code kafka}, {@code rabbitmq}, or {@code none}, which counts events and delivers none), registers every
 * feature module's handlers and recurring events (the scheduler runs while the process keeps serving or consuming,
 * and stops first at shutdown), and then, by {@code HEXBUS_MODE}:
 *
 * <ul>
 *   <li>{@code all} (the default): runs the sample tour; in memory it then exits, on the queue it also runs a
 *       worker in this process and keeps consuming until SIGINT or SIGTERM;</li>
 *   <li>{@code api}: runs the sample tour (publishes its events) and exits;</li>
 *   <li>{@code worker}: runs a worker until SIGINT or SIGTERM (on a queue that delivers: not in memory, not
 *       {@code none}).</li>
 * </ul>
 *
 * <p>With {@code HTTP_ENABLED=true}, modes {@code api} and {@code all} also start the HTTP server (the queue admin
 * API and {@code /health}, {@link AdminHttpServer}) before the tour, and keep serving after it until SIGINT or
 * SIGTERM, on either transport.
 *
 * <p>With {@code DATABASE_URL} set, the invoices are PostgreSQL's and every use case publishes to the transactional
 * outbox in its own transaction; the outbox's relay, started once the transport is up, forwards the committed
 * events to the transport, and is stopped at shutdown before it. A tour that ends the process (in memory without
 * HTTP, or mode {@code api}) waits, up to the shutdown deadline, for its events to be forwarded; what is left waits
 * in the outbox for the next start. A database that cannot be used at start is exit code 2.
 *
 * <p>An environment variable that looks meant for the app but is not one it reads (a typo such as
 * {@code USE_QUEUE_EVENTBUS}) is warned about at start, one line each; an unknown key in the configuration file
 * is a configuration error.
 *
 * <p>Exit codes: 0 when every flow ran or after a clean stop on a signal, 1 on a failure, 2 on a configuration
 * error or a queue's broker that cannot be used at start.
 *
 * <p>A queue is held as the {@link QueuedTransport} port only: this class names no concrete transport.
 */
public final class HexbusApp {

    private static final Logger log = LoggerFactory.getLogger(HexbusApp.class);

    /** Where the links in the sample's mails point. */
    static final Links LINKS = Links.of("http://localhost:8080");

    private final Map<String, String> environment;
    private final List<? extends Module> extraModules;

    HexbusApp(Map<String, String> environment) {
        this(environment, List.of());
    }

    /**
     * @param environment  the process environment
     * @param extraModules more feature modules, installed beside the sample's (tests add one)
     */
    HexbusApp(Map<String, String> environment, List<? extends Module> extraModules) {
        this.environment = Map.copyOf(environment);
        this.extraModules = List.copyOf(extraModules);
    }

    /**
     * Runs the app and exits with its exit code.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(new HexbusApp(System.getenv()).run());
    }

    /**
     * Runs the app. With the queue in modes {@code worker} and {@code all}, it does not return: the shutdown
     * hook ends the process.
     *
     * @return the process exit code: 0 when every flow ran, 1 on a failure, 2 on a configuration error
     */
    int run() {
        ConfigKeys.environmentWarnings(ConfigKeys.KNOWN, environment.keySet()).forEach(log::warn);
        AppConfig config;
        try {
            config = AppConfig.from(environment);
        } catch (IllegalArgumentException badValue) {
            log.error("Configuration error: {}", badValue.getMessage());
            return 2;
        }
        log.info("Transport: {}; mode: {} (configuration from {})", config.describeTransport(),
                config.mode().value(), config.source());
        log.info("Database: {}", config.describeDatabase());
        Injector injector = Wiring.injector(config, extraModules);
        try {
            injector.getInstance(HandlerRegistry.class).registerAll();
            injector.getInstance(RecurringEventsRegistry.class).registerAll();
        } catch (IllegalArgumentException unknownSubscription) {
            log.error("Configuration error: {}: {}", AppConfig.DISABLED_SUBSCRIPTIONS, unknownSubscription.getMessage());
            return 2;
        }
        return switch (config.transport()) {
            case IN_MEMORY -> runInMemory(injector, config);
            case QUEUE -> runQueued(injector, config);
        };
    }

    private static int runInMemory(Injector injector, AppConfig config) {
        Optional<OutboxForwarding> outbox;
        try {
            outbox = startOutbox(injector, config);
        } catch (IllegalStateException cannotUseDatabase) {
            log.error("Cannot start: {}", cannotUseDatabase.getMessage());
            return 2;
        }
        Optional<AdminHttpServer> http;
        try {
            http = startHttp(injector, config, Optional.empty(), () -> 0);
        } catch (IllegalStateException cannotListen) {
            log.error("Cannot start: {}", cannotListen.getMessage());
            outbox.ifPresent(OutboxForwarding::close);
            return 2;
        }
        http.ifPresent(server -> server.observe(injector.getInstance(DomainEventsProcessor.class)));
        http.ifPresent(server -> outbox.ifPresent(forwarding -> server.observeOutbox(forwarding::health)));
        Scheduler scheduler = injector.getInstance(RecurringEventsRegistry.class).scheduler();
        http.ifPresent(server -> server.observeSchedules(scheduler::schedules));
        int code = runTourInMemory(injector, outbox, config.shutdownDeadline());
        if (http.isEmpty() || code != 0) {
            try {
                http.ifPresent(AdminHttpServer::close);
            } finally {
                try {
                    outbox.ifPresent(OutboxForwarding::close);
                } finally {
                    closeInMemoryBus(injector);
                }
            }
            return code;
        }
        // The scheduler stops first: no tick is published into a closing app.
        AutoCloseable closeAll = () -> {
            try {
                scheduler.close();
            } finally {
                try {
                    http.get().close();
                } finally {
                    try {
                        outbox.ifPresent(OutboxForwarding::close);
                    } finally {
                        closeInMemoryBus(injector);
                    }
                }
            }
        };
        GracefulShutdown shutdown = GracefulShutdown.install(closeAll, config.shutdownDeadline());
        scheduler.start();
        log.info("Serving HTTP on port {}; stop with Ctrl-C or SIGTERM", http.get().port());
        shutdown.awaitStop();
        return 0;
    }

    /** Stops the in-memory bus's timer thread, if a delayed publish started it; what still waits is dropped. */
    private static void closeInMemoryBus(Injector injector) {
        if (injector.getInstance(Key.get(EventBus.class, TransportBus.class)) instanceof InMemoryEventBus bus) {
            bus.close();
        }
    }

    private static int runTourInMemory(Injector injector, Optional<OutboxForwarding> outbox, Duration deadline) {
        SampleService sample = injector.getInstance(SampleService.class);
        try {
            boolean ok = SampleTour.run(sample);
            // On the outbox the handlers run in the relay's thread, once it forwarded the tour's events.
            ok &= outbox.map(forwarding -> awaitForwarded(forwarding, deadline)).orElse(true);
            sample.auditLog.entries().forEach(entry -> log.info("Audit: {}", entry));
            boolean auditing = injector.getInstance(DomainEventsProcessor.class)
                    .subscription(RecordInvoiceAudit.class.getName()).isPresent();
            return ok && sample.auditLog.entries().size() == (auditing ? 1 : 0) ? 0 : 1;
        } catch (EventHandlingException handlersFailed) {
            log.error("Handlers failed: {}", handlersFailed.getMessage());
            return 1;
        }
    }

    /**
     * @return the started HTTP server in modes api and all when {@code HTTP_ENABLED=true}, else empty
     * @throws IllegalStateException if it cannot listen
     */
    private static Optional<AdminHttpServer> startHttp(Injector injector, AppConfig config,
                                                       Optional<QueuedTransport> queue, IntSupplier workersRunning) {
        if (!config.http().enabled() || config.mode() == Mode.WORKER) {
            return Optional.empty();
        }
        return Optional.of(AdminHttpServer.start(config.http(), queue, workersRunning,
                Optional.of(injector.getInstance(SampleService.class).httpRoutes())));
    }

    private static int runQueued(Injector injector, AppConfig config) {
        QueuedTransport transport;
        try {
            transport = injector.getInstance(QueuedTransport.class);
        } catch (ProvisionException failed) {
            Optional<TransportUnavailableException> unavailable = TransportUnavailableException.findIn(failed);
            if (unavailable.isPresent()) {
                log.error("Cannot start: {}", unavailable.get().getMessage());
                return 2;
            }
            throw failed;
        }
        Optional<OutboxForwarding> outbox;
        try {
            outbox = startOutbox(injector, config);
        } catch (IllegalStateException cannotUseDatabase) {
            log.error("Cannot start: {}", cannotUseDatabase.getMessage());
            transport.close();
            return 2;
        }
        AtomicInteger workers = new AtomicInteger();
        Optional<AdminHttpServer> http;
        try {
            http = startHttp(injector, config, Optional.of(transport), workers::get);
        } catch (IllegalStateException cannotListen) {
            log.error("Cannot start: {}", cannotListen.getMessage());
            try {
                outbox.ifPresent(OutboxForwarding::close);
            } finally {
                transport.close();
            }
            return 2;
        }
        http.ifPresent(server -> server.observe(injector.getInstance(DomainEventsProcessor.class)));
        http.ifPresent(server -> outbox.ifPresent(forwarding -> server.observeOutbox(forwarding::health)));
        Scheduler scheduler = injector.getInstance(RecurringEventsRegistry.class).scheduler();
        http.ifPresent(server -> server.observeSchedules(scheduler::schedules));
        if (config.mode() == Mode.API && http.isEmpty()) {
            try (transport) {
                try {
                    int code = publishTour(injector, config);
                    // What is not forwarded by the deadline is not lost: it waits in the outbox for the next relay.
                    outbox.ifPresent(forwarding -> awaitForwarded(forwarding, config.shutdownDeadline()));
                    return code;
                } finally {
                    outbox.ifPresent(OutboxForwarding::close);
                }
            }
        }
        // The relay stops before the transport it forwards to; the HTTP server, which runs use cases, first; the
        // scheduler, which publishes to the transport, before all.
        AutoCloseable closeAll = () -> {
            try {
                scheduler.close();
                http.ifPresent(AdminHttpServer::close);
            } finally {
                try {
                    outbox.ifPresent(OutboxForwarding::close);
                } finally {
                    transport.close();
                }
            }
        };
        GracefulShutdown shutdown = GracefulShutdown.install(closeAll, config.shutdownDeadline());
        if (config.mode() == Mode.API) {
            if (publishTour(injector, config) != 0) {
                shutdown.exit(1);
            }
            scheduler.start();
            log.info("Serving HTTP on port {}; stop with Ctrl-C or SIGTERM", http.orElseThrow().port());
            shutdown.awaitStop();
            return 0;
        }
        try {
            int started = startWorkers(injector, transport);
            if (config.queue() != QueueChoice.NONE) { // its worker runs nothing: /health must not count it
                workers.addAndGet(started);
            }
        } catch (TransportUnavailableException unavailable) {
            log.error("Cannot start a worker: {}", unavailable.getMessage());
            shutdown.exit(2);
        }
        if (config.mode() == Mode.ALL) {
            try {
                if (!SampleTour.run(injector.getInstance(SampleService.class))) {
                    log.error("The sample tour did not go as expected");
                    shutdown.exit(1);
                }
            } catch (RuntimeException tourFailed) { // publishing failed, or a handler's bug: stop, never exit 0
                log.error("The sample tour failed: {}", tourFailed.toString());
                shutdown.exit(1);
            }
        }
        scheduler.start();
        log.info("Consuming from {}; stop with Ctrl-C or SIGTERM (in-flight handlers get up to {} s)",
                config.describeQueue(), config.shutdownDeadline().toSeconds());
        shutdown.awaitStop();
        return 0;
    }

    /**
     * Starts the workers the transport module configured ({@link QueueWorkers}: the Redis module's worker sets over
     * named queues), or else one worker.
     *
     * @return how many started
     */
    private static int startWorkers(Injector injector, QueuedTransport transport) {
        if (injector.getExistingBinding(Key.get(QueueWorkers.class)) == null) {
            transport.startWorker();
            return 1;
        }
        return injector.getInstance(QueueWorkers.class).start().size();
    }

    /**
     * With a database: connects, migrates the outbox's and the sample's tables, and starts the relay.
     *
     * @return the running forwarding, or empty without a database
     * @throws IllegalStateException if the database cannot be used, saying why (never its password)
     */
    private static Optional<OutboxForwarding> startOutbox(Injector injector, AppConfig config) {
        if (config.database().isEmpty()) {
            return Optional.empty();
        }
        OutboxForwarding forwarding;
        try {
            forwarding = injector.getInstance(OutboxForwarding.class);
        } catch (ProvisionException failed) {
            throw new IllegalStateException("the database (" + config.database().get().describe()
                    + ") cannot be used: " + rootMessage(failed), failed);
        }
        try {
            injector.getInstance(InvoiceRepository.class); // migrates the sample's tables now, not at the first use
            forwarding.start();
        } catch (ProvisionException | IllegalStateException failed) {
            forwarding.close();
            throw new IllegalStateException("the database (" + config.database().get().describe()
                    + ") cannot be used: " + rootMessage(failed), failed);
        }
        log.info("Outbox: the relay forwards committed events to the transport");
        return Optional.of(forwarding);
    }

    /**
     * Waits until the outbox holds no event waiting to be forwarded, or the deadline passed (then the rest waits in
     * the outbox for the next relay, and this says so).
     *
     * @return true when nothing waits
     */
    private static boolean awaitForwarded(OutboxForwarding outbox, Duration deadline) {
        Instant giveUp = Instant.now().plus(deadline);
        long waiting = -1;
        while (Instant.now().isBefore(giveUp)) {
            try {
                waiting = outbox.health().waiting();
            } catch (RuntimeException unreadable) {
                log.warn("Outbox: cannot be read: {}", unreadable.getMessage());
            }
            if (waiting == 0) {
                return true;
            }
            try {
                Thread.sleep(20); // a poll of the relay's progress, bounded by the deadline
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("Outbox: {} events still wait after {} s; the next relay to run forwards them", waiting,
                deadline.toSeconds());
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static int publishTour(Injector injector, AppConfig config) {
        try {
            boolean ok = SampleTour.run(injector.getInstance(SampleService.class));
            log.info("Published the tour's events to {}{}", config.describeQueue(),
                    config.queue() == QueueChoice.NONE ? "" : "; workers (HEXBUS_MODE=worker or all) handle them");
            return ok ? 0 : 1;
        } catch (EventPublishingException publishFailed) {
            log.error("Publishing failed: {}", publishFailed.getMessage());
            return 1;
        }
    }
}
