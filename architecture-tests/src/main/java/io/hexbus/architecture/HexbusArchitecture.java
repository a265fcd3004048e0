package io.hexbus.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Hexbus's own packages and the rules that hold them (design brief §1 and §6): the factories of
 * {@link HexagonRules} and {@link CodingRules}, pointed at hexbus.
 *
 * <p>Run every rule against hexbus's main classes ({@code io.hexbus..} without tests and without this package).
 * Every part of the hexagon must be present: a rule that sees no classes fails, so none passes because it
 * looked in the wrong place.
 */
public final class HexbusArchitecture {

    /** {@code event-bus-api}: the port. */
    public static final String API = "io.hexbus.api..";
    /** {@code event-bus-codec}: the wire contract every transport shares. */
    public static final String CODEC = "io.hexbus.codec..";
    /** {@code event-bus-engine}: the queue engine every queued transport shares. */
    public static final String ENGINE = "io.hexbus.engine..";
    /** {@code event-bus-inmemory}: the default transport. */
    public static final String IN_MEMORY = "io.hexbus.inmemory..";
    /** {@code event-bus-redis}: the Redis transport. */
    public static final String REDIS = "io.hexbus.redis..";
    /** {@code event-bus-kafka}: the Kafka transport. */
    public static final String KAFKA = "io.hexbus.kafka..";
    /** {@code event-bus-rabbitmq}: the RabbitMQ transport. */
    public static final String RABBITMQ = "io.hexbus.rabbitmq..";
    /** {@code event-bus-outbox-jdbc}: the transactional outbox on PostgreSQL and its relay. */
    public static final String OUTBOX = "io.hexbus.outbox..";
    /** The scheduler of recurring events. */
    public static final String SCHEDULING = "io.hexbus.scheduling..";
    /** {@code event-bus-opentelemetry}: tracing with OpenTelemetry. */
    public static final String OPENTELEMETRY = "io.hexbus.opentelemetry..";
    /** {@code event-bus-micrometer}: the bus's meters on a Micrometer registry. */
    public static final String METRICS = "io.hexbus.micrometer..";
    /** {@code event-bus-admin-http}: the queue admin JSON API and the dashboard, over the {@code QueueAdmin} port. */
    public static final String ADMIN_HTTP = "io.hexbus.admin..";
    /** {@code event-bus-api}: the transaction port, {@code UnitOfWork}. */
    public static final String TRANSACTION_PORT = "io.hexbus.api.transaction..";
    /** {@code domain-sample}: a service's domain and use cases. */
    public static final String SAMPLE = "io.hexbus.sample..";
    /** {@code adapters}: driving and driven adapters. */
    public static final String ADAPTERS = "io.hexbus.adapters..";
    /** {@code adapters}: the composition root, the only package that knows every module. */
    public static final String APP = "io.hexbus.app..";
    /** {@code adapters}: the HTTP adapter, which wraps the admin port of any queued transport. */
    public static final String HTTP_ADAPTER = "io.hexbus.adapters.http..";
    /** {@code adapters}: the Redis Guice module and its settings, the only adapters' classes that name Redis. */
    public static final List<String> REDIS_MODULE = List.of("io.hexbus.adapters.guice.RedisTransportModule",
            "io.hexbus.adapters.guice.RedisTransportSettings");
    /** {@code adapters}: the Kafka Guice module and its settings, the only adapters' classes that name Kafka. */
    public static final List<String> KAFKA_MODULE = List.of("io.hexbus.adapters.guice.KafkaTransportModule",
            "io.hexbus.adapters.guice.KafkaTransportSettings");
    /**
     * {@code adapters}: the RabbitMQ Guice module and its settings, the only adapters' classes that name RabbitMQ.
     */
    public static final List<String> RABBITMQ_MODULE = List.of("io.hexbus.adapters.guice.RabbitTransportModule",
            "io.hexbus.adapters.guice.RabbitTransportSettings");
    /** {@code hexbus-spring-boot-starter}: the Spring Boot auto-configuration, a composition root for Spring. */
    public static final String SPRING_BOOT_STARTER = "io.hexbus.spring.boot..";
    /** {@code benchmarks}: harnesses that wire modules as a composition root does. */
    public static final String BENCHMARKS = "io.hexbus.benchmarks..";
    /** This module's own package, which the rules do not hold. */
    public static final String ARCHITECTURE = "io.hexbus.architecture..";

    /** The JDK. */
    public static final String JDK = "java..";
    /** SLF4J, the logging facade. */
    public static final String SLF4J = "org.slf4j..";
    /** Lettuce, the Redis client. */
    public static final String LETTUCE = "io.lettuce..";
    /** The Kafka clients. */
    public static final String KAFKA_CLIENTS = "org.apache.kafka..";
    /** The RabbitMQ Java client (AMQP 0-9-1). */
    public static final String RABBITMQ_CLIENT = "com.rabbitmq..";
    /** The JDK's TLS API, which the RabbitMQ transport uses for {@code amqps://} with a truststore of its own. */
    public static final String JDK_TLS = "javax.net.ssl..";
    /** JDBC, in the JDK. */
    public static final String JDBC = "java.sql..";
    /** JDBC's extension API, {@code DataSource} among it, in the JDK but outside {@code java..}. */
    public static final String JDBC_EXTENSION = "javax.sql..";
    /** The PostgreSQL JDBC driver. */
    public static final String POSTGRESQL_DRIVER = "org.postgresql..";
    /** Flyway, for database migrations. */
    public static final String FLYWAY = "org.flywaydb..";
    /** Jackson, for JSON. */
    public static final String JACKSON = "com.fasterxml.jackson..";
    /** Guice, for wiring. */
    public static final String GUICE = "com.google.inject..";
    /** HdrHistogram, for the engine's handler-duration windows. */
    public static final String HDR_HISTOGRAM = "org.HdrHistogram..";
    /** Micrometer, for meters. */
    public static final String MICROMETER = "io.micrometer..";
    /** Javalin, the HTTP server library. */
    public static final String JAVALIN = "io.javalin..";
    /** The servlet API Javalin runs on (a request's body stream). */
    public static final String SERVLET = "jakarta.servlet..";
    /** cron-utils, for cron expressions. */
    public static final String CRON_UTILS = "com.cronutils..";
    /** The OpenTelemetry API (the SDK is the application's choice, never a hexbus dependency). */
    public static final String OPENTELEMETRY_API = "io.opentelemetry.api..";
    /** The OpenTelemetry context, which the API is built on. */
    public static final String OPENTELEMETRY_CONTEXT = "io.opentelemetry.context..";

    private HexbusArchitecture() {
    }

    /**
     * Hexbus's modules as the parts of a hexagon.
     *
     * @return the hexagon
     */
    public static Hexagon hexagon() {
        return new Hexagon(
                // The codec is the port's wire form and the engine its queue semantics: transports share both, the
                // domain never sees them (see below).
                Hexagon.Part.of("Port, wire contract and queue engine (event-bus-api, event-bus-codec,"
                        + " event-bus-engine)", API, CODEC, ENGINE),
                List.of(Hexagon.Part.of("In-memory transport", IN_MEMORY),
                        Hexagon.Part.of("Redis transport", REDIS),
                        Hexagon.Part.of("Kafka transport", KAFKA),
                        Hexagon.Part.of("RabbitMQ transport", RABBITMQ),
                        // The outbox stands where a transport does: it implements the port (EventBus, UnitOfWork)
                        // and forwards to whichever transport the composition root hands its relay.
                        Hexagon.Part.of("Transactional outbox (event-bus-outbox-jdbc)", OUTBOX),
                        // The scheduler publishes through the EventBus port, on whichever bus it is handed.
                        Hexagon.Part.of("Recurring events (event-bus-scheduling)", SCHEDULING),
                        // Tracing plugs into the api's Tracing hook, which every transport calls.
                        Hexagon.Part.of("Tracing (event-bus-opentelemetry)", OPENTELEMETRY),
                        // The meters observe the processor, whichever transport reports to it.
                        Hexagon.Part.of("Metrics (event-bus-micrometer)", METRICS),
                        // The admin API and dashboard drive the QueueAdmin port of whichever queue it is handed.
                        Hexagon.Part.of("Admin HTTP API and dashboard (event-bus-admin-http)", ADMIN_HTTP)),
                Hexagon.Part.of("Domain (domain-sample)", SAMPLE),
                Hexagon.Part.of("Adapters", ADAPTERS),
                Hexagon.Part.of("Composition root (app)", APP));
    }

    /**
     * Arrows point inward: the api knows no other module; transports and the outbox know only the api; the sample
     * knows only the api; adapters know everything but the app; the app knows every module.
     *
     * @return the rule
     * @see HexagonRules#arrowsPointInward(Hexagon)
     */
    public static ArchRule arrowsPointInward() {
        return HexagonRules.arrowsPointInward(hexagon());
    }

    /**
     * {@code event-bus-api} uses only the JDK and SLF4J: no Jackson, Lettuce, Guice or Vavr.
     *
     * @return the rule
     */
    public static ArchRule apiDependsOnlyOnJdkAndSlf4j() {
        return HexagonRules.onlyDependsOn(API, JDK, SLF4J);
    }

    /**
     * The codec uses only the api, the JDK and Jackson: no transport, no Redis client.
     *
     * @return the rule
     */
    public static ArchRule codecDependsOnlyOnApiAndJackson() {
        return HexagonRules.onlyDependsOn(CODEC, API, JDK, JACKSON);
    }

    /**
     * The queue engine uses only the api, the JDK, SLF4J and HdrHistogram (handler-duration windows): no broker
     * client, no codec, no JSON, no transport.
     *
     * @return the rule
     */
    public static ArchRule engineDependsOnlyOnApiJdkSlf4jAndHdrHistogram() {
        return HexagonRules.onlyDependsOn(ENGINE, API, JDK, SLF4J, HDR_HISTOGRAM);
    }

    /**
     * The in-memory transport uses only the api, the codec (to refuse what a queue would), the JDK and SLF4J.
     *
     * @return the rule
     */
    public static ArchRule inMemoryTransportDependsOnlyOnApiCodecJdkAndSlf4j() {
        return HexagonRules.onlyDependsOn(IN_MEMORY, API, CODEC, JDK, SLF4J);
    }

    /**
     * The Redis transport uses only the api, the codec, the queue engine, the JDK, SLF4J and Lettuce: JSON is the
     * codec's alone.
     *
     * @return the rule
     */
    public static ArchRule redisTransportDependsOnlyOnApiCodecEngineAndLettuce() {
        return HexagonRules.onlyDependsOn(REDIS, API, CODEC, ENGINE, JDK, SLF4J, LETTUCE);
    }

    /**
     * The Kafka transport uses only the api, the codec, the queue engine, the JDK, SLF4J and the Kafka clients: JSON
     * is the codec's alone.
     *
     * @return the rule
     */
    public static ArchRule kafkaTransportDependsOnlyOnApiCodecEngineAndKafkaClients() {
        return HexagonRules.onlyDependsOn(KAFKA, API, CODEC, ENGINE, JDK, SLF4J, KAFKA_CLIENTS);
    }

    /**
     * The RabbitMQ transport uses only the api, the codec, the queue engine, the JDK (its TLS API included), SLF4J
     * and the RabbitMQ client: JSON is the codec's alone.
     *
     * @return the rule
     */
    public static ArchRule rabbitTransportDependsOnlyOnApiCodecEngineAndRabbitClient() {
        return HexagonRules.onlyDependsOn(RABBITMQ, API, CODEC, ENGINE, JDK, JDK_TLS, SLF4J, RABBITMQ_CLIENT);
    }

    /**
     * The outbox uses only the api, the codec, the JDK (JDBC and {@code javax.sql} included), SLF4J, the PostgreSQL
     * driver and Flyway: it forwards to a transport through the {@code EventBus} port, never a transport, the
     * queue engine or a broker client, and JSON is the codec's alone (the codec's API it uses names no Jackson type).
     *
     * @return the rule
     */
    public static ArchRule outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway() {
        return HexagonRules.onlyDependsOn(OUTBOX, API, CODEC, JDK, JDBC_EXTENSION, SLF4J, POSTGRESQL_DRIVER, FLYWAY);
    }

    /**
     * The scheduler uses only the api, the JDK, SLF4J and cron-utils: it publishes through the {@code EventBus}
     * port, never a transport, the codec or the queue engine.
     *
     * @return the rule
     */
    public static ArchRule schedulingDependsOnlyOnApiCronUtilsAndSlf4j() {
        return HexagonRules.onlyDependsOn(SCHEDULING, API, JDK, SLF4J, CRON_UTILS);
    }

    /**
     * The tracing module uses only the api, the JDK and the OpenTelemetry API (and its context): it plugs into the
     * api's {@code Tracing} hook, never a transport, the codec or the queue engine, and never the OpenTelemetry SDK.
     *
     * @return the rule
     */
    public static ArchRule openTelemetryDependsOnlyOnApiAndTheOpenTelemetryApi() {
        return HexagonRules.onlyDependsOn(OPENTELEMETRY, API, JDK, OPENTELEMETRY_API, OPENTELEMETRY_CONTEXT);
    }

    /**
     * The meters use only the api, the JDK, Micrometer and SLF4J: they observe the processor and read the queue
     * through the {@code QueueAdmin} port, never a transport. SLF4J because a queue that cannot be read at a scrape
     * is logged (its meters only say NaN); the api depends on it already.
     *
     * @return the rule
     */
    public static ArchRule metricsDependOnlyOnApiAndMicrometer() {
        return HexagonRules.onlyDependsOn(METRICS, API, JDK, MICROMETER, SLF4J);
    }

    /**
     * The admin HTTP API and dashboard use only the api, the JDK, SLF4J, Jackson, Javalin and the servlet API: they
     * wrap the {@code QueueAdmin} port and name no transport, so they serve every queue alike.
     *
     * @return the rule
     */
    public static ArchRule adminHttpDependsOnlyOnApiJavalinJacksonAndSlf4j() {
        return HexagonRules.onlyDependsOn(ADMIN_HTTP, API, JDK, SLF4J, JACKSON, JAVALIN, SERVLET);
    }

    /**
     * Only the composition root (the adapters and {@code io.hexbus.app}, the Spring Boot starter) and the benchmarks
     * may depend on {@code io.hexbus.outbox}: whether events go through an outbox is decided where the bus is wired,
     * and the use cases never know it.
     *
     * @return the rule
     */
    public static ArchRule onlyTheCompositionRootNamesTheOutbox() {
        return noClasses().that().resideOutsideOfPackages(OUTBOX, APP, ADAPTERS, SPRING_BOOT_STARTER, BENCHMARKS)
                .should().dependOnClassesThat().resideInAPackage(OUTBOX)
                .because("use cases inject EventBus and run in a UnitOfWork (or a Spring transaction), both ports: the"
                        + " composition root alone (the Guice app, the Spring Boot starter) binds them to the outbox"
                        + " (docs/outbox.md)");
    }

    /**
     * {@code domain-sample} knows the transaction as the {@code UnitOfWork} port only: never JDBC
     * ({@code java.sql}, {@code javax.sql}), the PostgreSQL driver, Flyway or the outbox.
     *
     * @return the rule
     */
    public static ArchRule sampleNeverTouchesJdbcOrTheOutbox() {
        return HexagonRules.neverDependsOn(SAMPLE, JDBC, JDBC_EXTENSION, POSTGRESQL_DRIVER, FLYWAY, OUTBOX)
                .because("a use case runs in a UnitOfWork and publishes to the EventBus; which database and whether"
                        + " an outbox is behind them is the composition root's choice");
    }

    /**
     * {@code event-bus-api}, its transaction port ({@link #TRANSACTION_PORT}) above all, names no JDBC type: a
     * {@code UnitOfWork} may run on any store, or on none ({@code UnitOfWork.direct()}).
     *
     * @return the rule
     */
    public static ArchRule apiIsFreeOfJdbc() {
        return HexagonRules.neverDependsOn(API, JDBC, JDBC_EXTENSION)
                .because("the transaction port is a unit of work, not a connection: JDBC is the outbox module's");
    }

    /**
     * A queued transport is its broker's half only: the worker machinery is the engine's. The Redis transport
     * starts no thread or thread pool, runs no handler watchdog and takes no retry decision of its own; it
     * reaches the worker through {@code io.hexbus.engine.worker.EngineWorker} and implements the backend SPI.
     *
     * @return the rule
     */
    public static ArchRule redisHoldsNoWorkerMachineryOfItsOwn() {
        return ArchRuleDefinition.noClasses().that().resideInAPackage(REDIS)
                .should().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
                .orShould().dependOnClassesThat().haveNameMatching("java\\.util\\.concurrent\\.(Executors?|ExecutorService"
                        + "|ScheduledExecutorService|ThreadFactory|ForkJoinPool|(Scheduled)?ThreadPoolExecutor)")
                .orShould().dependOnClassesThat().haveNameMatching(
                        "io\\.hexbus\\.engine\\.(HandlerWatchdog|JobSlots|RoundDecision|Settlement)(\\$.*)?")
                .because("retries, leases, timeouts and threads are the engine's: a transport is its broker's half");
    }

    /**
     * {@code domain-sample} uses only the api, the JDK, {@code jakarta.inject}, Vavr and SLF4J.
     *
     * @return the rule
     */
    public static ArchRule sampleDependsOnlyOnApiAndDomainLibraries() {
        return HexagonRules.onlyDependsOn(SAMPLE, API, JDK, "jakarta.inject..", "io.vavr..", SLF4J);
    }

    /**
     * {@code domain-sample} never touches a transport, the codec, the queue engine, Lettuce, Jackson or Guice.
     *
     * @return the rule
     */
    public static ArchRule sampleNeverTouchesTransportsOrInfrastructure() {
        return HexagonRules.neverDependsOn(SAMPLE, IN_MEMORY, REDIS, CODEC, ENGINE, LETTUCE, JACKSON, GUICE);
    }

    /**
     * The composition root and the adapters, the HTTP adapter among them, hold a queue as the API's
     * {@code QueuedTransport} port and never name Redis: only the Redis Guice module ({@link #REDIS_MODULE}) may
     * depend on {@code io.hexbus.redis} or on Lettuce, its client, so that another transport is one more module,
     * chosen in one place.
     *
     * @return the rule
     */
    public static ArchRule onlyTheRedisModuleNamesRedis() {
        return noClasses().that().resideInAnyPackage(APP, ADAPTERS)
                .and().doNotHaveFullyQualifiedName(REDIS_MODULE.get(0))
                .and().doNotHaveFullyQualifiedName(REDIS_MODULE.get(1))
                .should().dependOnClassesThat().resideInAnyPackage(REDIS, LETTUCE)
                .because("the app and the HTTP adapter name no concrete transport: they use the QueuedTransport"
                        + " port, and the Redis Guice module alone binds Redis to it");
    }

    /**
     * As {@link #onlyTheRedisModuleNamesRedis()} for Kafka: only the Kafka Guice module ({@link #KAFKA_MODULE}) may
     * depend on {@code io.hexbus.kafka} or on the Kafka clients.
     *
     * @return the rule
     */
    public static ArchRule onlyTheKafkaModuleNamesKafka() {
        return noClasses().that().resideInAnyPackage(APP, ADAPTERS)
                .and().doNotHaveFullyQualifiedName(KAFKA_MODULE.get(0))
                .and().doNotHaveFullyQualifiedName(KAFKA_MODULE.get(1))
                .should().dependOnClassesThat().resideInAnyPackage(KAFKA, KAFKA_CLIENTS)
                .because("the app and the HTTP adapter name no concrete transport: they use the QueuedTransport"
                        + " port, and the Kafka Guice module alone binds Kafka to it");
    }

    /**
     * As {@link #onlyTheRedisModuleNamesRedis()} for RabbitMQ: only the RabbitMQ Guice module
     * ({@link #RABBITMQ_MODULE}) may depend on {@code io.hexbus.rabbitmq} or on the RabbitMQ client.
     *
     * @return the rule
     */
    public static ArchRule onlyTheRabbitModuleNamesRabbit() {
        return noClasses().that().resideInAnyPackage(APP, ADAPTERS)
                .and().doNotHaveFullyQualifiedName(RABBITMQ_MODULE.get(0))
                .and().doNotHaveFullyQualifiedName(RABBITMQ_MODULE.get(1))
                .should().dependOnClassesThat().resideInAnyPackage(RABBITMQ, RABBITMQ_CLIENT)
                .because("the app and the HTTP adapter name no concrete transport: they use the QueuedTransport"
                        + " port, and the RabbitMQ Guice module alone binds RabbitMQ to it");
    }

    /**
     * No dependency cycle between hexbus's top-level packages ({@code api}, {@code inmemory}, {@code sample},
     * ...), which are its modules.
     *
     * @return the rule
     */
    public static ArchRule modulesAreFreeOfCycles() {
        return HexagonRules.freeOfCycles("io.hexbus.(*)..");
    }

    /**
     * No dependency cycle between any two of hexbus's packages, such as {@code api.publishing} and
     * {@code api.handling}.
     *
     * @return the rule
     */
    public static ArchRule packagesAreFreeOfCycles() {
        return HexagonRules.freeOfCycles("io.hexbus.(**)");
    }

    /**
     * No hexbus class writes to the console or prints a stack trace.
     *
     * @return the rule
     */
    public static ArchRule noStandardStreams() {
        return CodingRules.noStandardStreams();
    }

    /**
     * No hexbus class uses {@code java.util.logging}.
     *
     * @return the rule
     */
    public static ArchRule noJavaUtilLogging() {
        return CodingRules.noJavaUtilLogging();
    }

    /**
     * Every rule above, for a caller that checks them all at once.
     *
     * @return the rules
     */
    public static List<ArchRule> all() {
        return List.of(arrowsPointInward(), apiDependsOnlyOnJdkAndSlf4j(), codecDependsOnlyOnApiAndJackson(),
                engineDependsOnlyOnApiJdkSlf4jAndHdrHistogram(), inMemoryTransportDependsOnlyOnApiCodecJdkAndSlf4j(),
                redisTransportDependsOnlyOnApiCodecEngineAndLettuce(),
                kafkaTransportDependsOnlyOnApiCodecEngineAndKafkaClients(),
                rabbitTransportDependsOnlyOnApiCodecEngineAndRabbitClient(),
                outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway(), redisHoldsNoWorkerMachineryOfItsOwn(),
                sampleDependsOnlyOnApiAndDomainLibraries(), sampleNeverTouchesTransportsOrInfrastructure(),
                sampleNeverTouchesJdbcOrTheOutbox(), apiIsFreeOfJdbc(), onlyTheRedisModuleNamesRedis(),
                onlyTheKafkaModuleNamesKafka(), onlyTheRabbitModuleNamesRabbit(), onlyTheCompositionRootNamesTheOutbox(),
                modulesAreFreeOfCycles(), packagesAreFreeOfCycles(), noStandardStreams(), noJavaUtilLogging(),
                schedulingDependsOnlyOnApiCronUtilsAndSlf4j(), openTelemetryDependsOnlyOnApiAndTheOpenTelemetryApi(),
                adminHttpDependsOnlyOnApiJavalinJacksonAndSlf4j(), metricsDependOnlyOnApiAndMicrometer());
    }
}
