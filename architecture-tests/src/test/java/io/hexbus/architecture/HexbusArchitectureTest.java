package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hexbus.adapters.fixtures.outbox.OutboxWiring;
import io.hexbus.api.transaction.archfixture.UnitOfWorkThatHandsOutAConnection;
import io.hexbus.benchmarks.archfixture.OutboxBench;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.archfixture.OutboxThatForwardsThroughRedis;
import io.hexbus.outbox.archfixture.OutboxThatUsesWhatItMay;
import io.hexbus.outbox.archfixture.OutboxThatWritesJsonItself;
import io.hexbus.redis.RedisTransport;
import io.hexbus.sample.archfixture.UseCaseInAUnitOfWork;
import io.hexbus.sample.archfixture.UseCaseThatNamesTheOutbox;
import io.hexbus.sample.archfixture.UseCaseThatOpensAConnection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;

import static io.hexbus.architecture.RuleAssertions.assertNotReported;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of {@link HexbusArchitecture} against hexbus's own main classes.
 */
class HexbusArchitectureTest {

    private static final JavaClasses HEXBUS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/io/hexbus/architecture/"))
            .importPackages("io.hexbus");

    @Test
    void importsHexbusMainClassesButNotTheseRulesOrAnyTest() {
        assertTrue(HEXBUS.contain("io.hexbus.api.publishing.EventBus"));
        assertTrue(HEXBUS.contain("io.hexbus.api.handling.DomainEventsProcessor"));
        assertTrue(HEXBUS.contain("io.hexbus.inmemory.InMemoryEventBus"));
        assertTrue(HEXBUS.contain("io.hexbus.sample.invoicing.application.IssueInvoiceUseCase"));
        assertTrue(HEXBUS.contain("io.hexbus.app.HexbusApp"));
        assertTrue(HEXBUS.contain("io.hexbus.redis.RedisTransport"));
        assertTrue(HEXBUS.contain("io.hexbus.codec.EventCodec"));
        assertTrue(HEXBUS.contain("io.hexbus.engine.RoundDecision"));
        assertTrue(HEXBUS.contain("io.hexbus.adapters.mail.SmtpMailer"));
        assertTrue(HEXBUS.contain("io.hexbus.spring.boot.HexbusAutoConfiguration"));
        assertFalse(HEXBUS.contain(HexagonRules.class.getName()));
        assertFalse(HEXBUS.contain(HexbusArchitectureTest.class.getName()));
        assertFalse(HEXBUS.contain("io.hexbus.inmemory.InMemoryEventBusTest"));
    }

    @Test
    void arrowsPointInward() {
        HexbusArchitecture.arrowsPointInward().check(HEXBUS);
    }

    @Test
    void apiDependsOnlyOnJdkAndSlf4j() {
        HexbusArchitecture.apiDependsOnlyOnJdkAndSlf4j().check(HEXBUS);
    }

    @Test
    void schedulingDependsOnlyOnApiCronUtilsAndSlf4j() {
        assertTrue(HEXBUS.contain("io.hexbus.scheduling.Scheduler"));
        HexbusArchitecture.schedulingDependsOnlyOnApiCronUtilsAndSlf4j().check(HEXBUS);
    }

    @Test
    void openTelemetryDependsOnlyOnApiAndTheOpenTelemetryApi() {
        assertTrue(HEXBUS.contain("io.hexbus.opentelemetry.HexbusTracing"));
        HexbusArchitecture.openTelemetryDependsOnlyOnApiAndTheOpenTelemetryApi().check(HEXBUS);
    }

    @Test
    void adminHttpDependsOnlyOnApiJavalinJacksonAndSlf4j() {
        assertTrue(HEXBUS.contain("io.hexbus.admin.http.HexbusAdmin"), "the admin HTTP module is imported");
        HexbusArchitecture.adminHttpDependsOnlyOnApiJavalinJacksonAndSlf4j().check(HEXBUS);
    }

    @Test
    void metricsDependOnlyOnApiAndMicrometer() {
        assertTrue(HEXBUS.contain("io.hexbus.micrometer.EventMetrics"), "the metrics module is imported");
        HexbusArchitecture.metricsDependOnlyOnApiAndMicrometer().check(HEXBUS);
    }

    @Test
    void codecDependsOnlyOnApiAndJackson() {
        HexbusArchitecture.codecDependsOnlyOnApiAndJackson().check(HEXBUS);
    }

    @Test
    void engineDependsOnlyOnApiJdkSlf4jAndHdrHistogram() {
        HexbusArchitecture.engineDependsOnlyOnApiJdkSlf4jAndHdrHistogram().check(HEXBUS);
    }

    @Test
    void inMemoryTransportDependsOnlyOnApiCodecJdkAndSlf4j() {
        HexbusArchitecture.inMemoryTransportDependsOnlyOnApiCodecJdkAndSlf4j().check(HEXBUS);
    }

    @Test
    void redisTransportDependsOnlyOnApiCodecEngineAndLettuce() {
        HexbusArchitecture.redisTransportDependsOnlyOnApiCodecEngineAndLettuce().check(HEXBUS);
    }

    @Test
    void kafkaTransportDependsOnlyOnApiCodecEngineAndKafkaClients() {
        assertTrue(HEXBUS.contain("io.hexbus.kafka.KafkaEventBus"), "the Kafka module is imported");
        HexbusArchitecture.kafkaTransportDependsOnlyOnApiCodecEngineAndKafkaClients().check(HEXBUS);
    }

    @Test
    void redisHoldsNoWorkerMachineryOfItsOwn() {
        HexbusArchitecture.redisHoldsNoWorkerMachineryOfItsOwn().check(HEXBUS);
    }

    @Test
    void aTransportWithAThreadPoolOfItsOwnBreaksTheEngineRule() {
        JavaClasses ownPool = new ClassFileImporter()
                .importClasses(io.hexbus.redis.archfixture.TransportWithAPoolOfItsOwn.class);

        assertTrue(HexbusArchitecture.redisHoldsNoWorkerMachineryOfItsOwn().evaluate(ownPool).hasViolation());
    }

    @Test
    void sampleDependsOnlyOnApiAndDomainLibraries() {
        HexbusArchitecture.sampleDependsOnlyOnApiAndDomainLibraries().check(HEXBUS);
    }

    @Test
    void sampleNeverTouchesTransportsOrInfrastructure() {
        HexbusArchitecture.sampleNeverTouchesTransportsOrInfrastructure().check(HEXBUS);
    }

    @Test
    void onlyTheRedisModuleNamesRedis() {
        assertTrue(HEXBUS.contain("io.hexbus.adapters.http.AdminHttpServer"), "the HTTP adapter is held too");
        HexbusArchitecture.onlyTheRedisModuleNamesRedis().check(HEXBUS);
    }

    @Test
    void theRedisModuleIsTheRulesOnlyExceptionAndItNamesRedis() {
        com.tngtech.archunit.core.domain.JavaClasses redisModuleOnly = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hexbus.adapters.guice", "io.hexbus.redis");
        com.tngtech.archunit.lang.EvaluationResult result = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
                .noClasses().that().resideInAnyPackage(HexbusArchitecture.ADAPTERS)
                .should().dependOnClassesThat().resideInAPackage(HexbusArchitecture.REDIS)
                .evaluate(redisModuleOnly);

        assertTrue(result.hasViolation(), "without its exception, the Redis module itself would break the rule");
        assertFalse(HexbusArchitecture.onlyTheRedisModuleNamesRedis().evaluate(redisModuleOnly).hasViolation());
    }

    @Test
    void onlyTheKafkaModuleNamesKafka() {
        assertTrue(HEXBUS.contain("io.hexbus.adapters.guice.KafkaTransportModule"));
        HexbusArchitecture.onlyTheKafkaModuleNamesKafka().check(HEXBUS);
    }

    @Test
    void theKafkaModuleIsTheKafkaRulesOnlyExceptionAndItNamesKafka() {
        JavaClasses kafkaModuleOnly = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hexbus.adapters.guice", "io.hexbus.kafka");
        com.tngtech.archunit.lang.EvaluationResult result = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
                .noClasses().that().resideInAnyPackage(HexbusArchitecture.ADAPTERS)
                .should().dependOnClassesThat().resideInAPackage(HexbusArchitecture.KAFKA)
                .evaluate(kafkaModuleOnly);

        assertTrue(result.hasViolation(), "without its exception, the Kafka module itself would break the rule");
        assertFalse(HexbusArchitecture.onlyTheKafkaModuleNamesKafka().evaluate(kafkaModuleOnly).hasViolation());
    }

    @Test
    void rabbitTransportDependsOnlyOnApiCodecEngineAndRabbitClient() {
        assertTrue(HEXBUS.contain("io.hexbus.rabbitmq.RabbitEventBus"), "the RabbitMQ module is imported");
        HexbusArchitecture.rabbitTransportDependsOnlyOnApiCodecEngineAndRabbitClient().check(HEXBUS);
    }

    @Test
    void onlyTheRabbitModuleNamesRabbit() {
        assertTrue(HEXBUS.contain("io.hexbus.adapters.guice.RabbitTransportModule"));
        HexbusArchitecture.onlyTheRabbitModuleNamesRabbit().check(HEXBUS);
    }

    @Test
    void theRabbitModuleIsTheRabbitRulesOnlyExceptionAndItNamesRabbit() {
        JavaClasses rabbitModuleOnly = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hexbus.adapters.guice", "io.hexbus.rabbitmq");
        com.tngtech.archunit.lang.EvaluationResult result = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
                .noClasses().that().resideInAnyPackage(HexbusArchitecture.ADAPTERS)
                .should().dependOnClassesThat().resideInAPackage(HexbusArchitecture.RABBITMQ)
                .evaluate(rabbitModuleOnly);

        assertTrue(result.hasViolation(), "without its exception, the RabbitMQ module itself would break the rule");
        assertFalse(HexbusArchitecture.onlyTheRabbitModuleNamesRabbit().evaluate(rabbitModuleOnly).hasViolation());
    }

    @Test
    void outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway() {
        assertTrue(HEXBUS.contain("io.hexbus.outbox.OutboxRelay"), "the outbox module is imported");
        HexbusArchitecture.outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway().check(HEXBUS);
    }

    @Test
    void anOutboxThatHoldsATransportOrWritesJsonItselfBreaksTheOutboxRule() {
        JavaClasses outboxes = new ClassFileImporter().importClasses(OutboxThatForwardsThroughRedis.class,
                OutboxThatWritesJsonItself.class, OutboxThatUsesWhatItMay.class);

        List<String> violations = violations(
                HexbusArchitecture.outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway(), outboxes);

        assertReports(violations, OutboxThatForwardsThroughRedis.class, RedisTransport.class);
        assertReports(violations, OutboxThatWritesJsonItself.class, "<com.fasterxml.jackson.databind.ObjectMapper>");
        assertNotReported(violations, OutboxThatUsesWhatItMay.class);
        assertEquals(2, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void onlyTheCompositionRootNamesTheOutbox() {
        assertTrue(HEXBUS.contain("io.hexbus.outbox.OutboxEventBus"), "the outbox module is imported");
        HexbusArchitecture.onlyTheCompositionRootNamesTheOutbox().check(HEXBUS);
    }

    @Test
    void aUseCaseThatNamesTheOutboxBreaksTheCompositionRootRule() {
        JavaClasses useCase = new ClassFileImporter().importClasses(UseCaseThatNamesTheOutbox.class);

        List<String> violations = violations(HexbusArchitecture.onlyTheCompositionRootNamesTheOutbox(), useCase);

        assertReports(violations, UseCaseThatNamesTheOutbox.class, JdbcUnitOfWork.class);
    }

    @Test
    void theAdaptersAndTheBenchmarksAreTheOutboxRulesOnlyExceptions() {
        // The adapters may not use the outbox yet: these fixtures prove the rule lets them once they do.
        JavaClasses wiring = new ClassFileImporter().importClasses(OutboxWiring.class, OutboxBench.class,
                UseCaseThatNamesTheOutbox.class);
        List<String> withoutExceptions = violations(com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .should().dependOnClassesThat().resideInAPackage(HexbusArchitecture.OUTBOX), wiring);
        assertReports(withoutExceptions, OutboxWiring.class, JdbcUnitOfWork.class);
        assertReports(withoutExceptions, OutboxBench.class, "<io.hexbus.outbox.OutboxRelay>");

        List<String> violations = violations(HexbusArchitecture.onlyTheCompositionRootNamesTheOutbox(), wiring);

        assertNotReported(violations, OutboxWiring.class);
        assertNotReported(violations, OutboxBench.class);
        assertEquals(1, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void sampleNeverTouchesJdbcOrTheOutbox() {
        HexbusArchitecture.sampleNeverTouchesJdbcOrTheOutbox().check(HEXBUS);
    }

    @Test
    void aUseCaseThatOpensAConnectionOrNamesTheOutboxBreaksTheSampleRule() {
        JavaClasses useCases = new ClassFileImporter().importClasses(UseCaseThatOpensAConnection.class,
                UseCaseThatNamesTheOutbox.class, UseCaseInAUnitOfWork.class);

        List<String> violations = violations(HexbusArchitecture.sampleNeverTouchesJdbcOrTheOutbox(), useCases);

        assertReports(violations, UseCaseThatOpensAConnection.class, DataSource.class);
        assertReports(violations, UseCaseThatNamesTheOutbox.class, JdbcUnitOfWork.class);
        assertNotReported(violations, UseCaseInAUnitOfWork.class);
        assertEquals(2, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void apiIsFreeOfJdbc() {
        assertTrue(HEXBUS.contain("io.hexbus.api.transaction.UnitOfWork"), "the transaction port is imported");
        HexbusArchitecture.apiIsFreeOfJdbc().check(HEXBUS);
    }

    @Test
    void aTransactionPortThatHandsOutAConnectionBreaksTheJdbcRule() {
        JavaClasses port = new ClassFileImporter().importClasses(UnitOfWorkThatHandsOutAConnection.class);

        List<String> violations = violations(HexbusArchitecture.apiIsFreeOfJdbc(), port);

        assertReports(violations, UnitOfWorkThatHandsOutAConnection.class, Connection.class);
    }

    @Test
    void anAdapterThatUsesLettuceItselfBreaksTheRedisRule() {
        JavaClasses lettuceAdapter = new ClassFileImporter()
                .importClasses(io.hexbus.adapters.fixtures.lettuce.AdapterThatCallsLettuce.class);

        assertTrue(HexbusArchitecture.onlyTheRedisModuleNamesRedis().evaluate(lettuceAdapter).hasViolation());
    }

    @Test
    void modulesAreFreeOfCycles() {
        HexbusArchitecture.modulesAreFreeOfCycles().check(HEXBUS);
    }

    @Test
    void packagesAreFreeOfCycles() {
        HexbusArchitecture.packagesAreFreeOfCycles().check(HEXBUS);
    }

    @Test
    void noClassWritesToTheConsole() {
        HexbusArchitecture.noStandardStreams().check(HEXBUS);
    }

    @Test
    void noClassUsesJavaUtilLogging() {
        HexbusArchitecture.noJavaUtilLogging().check(HEXBUS);
    }

    @Test
    void everyRuleIsCheckedAboveAndPassesTogether() {
        assertEquals(26, HexbusArchitecture.all().size(), "a new rule needs its own test method above");
        HexbusArchitecture.all().forEach(rule -> rule.check(HEXBUS));
    }

}
