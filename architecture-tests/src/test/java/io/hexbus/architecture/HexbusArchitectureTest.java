package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

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
    void codecDependsOnlyOnApiAndJackson() {
        HexbusArchitecture.codecDependsOnlyOnApiAndJackson().check(HEXBUS);
    }

    @Test
    void engineDependsOnlyOnApiJdkAndSlf4j() {
        HexbusArchitecture.engineDependsOnlyOnApiJdkAndSlf4j().check(HEXBUS);
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
        assertEquals(18, HexbusArchitecture.all().size(), "a new rule needs its own test method above");
        HexbusArchitecture.all().forEach(rule -> rule.check(HEXBUS));
    }

}
