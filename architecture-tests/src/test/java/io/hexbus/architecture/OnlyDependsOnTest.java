package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.hexbus.architecture.fixtures.dependencies.clean.OrderPlacedLog;
import io.hexbus.architecture.fixtures.dependencies.leaky.OrderPlacedJson;
import io.hexbus.architecture.fixtures.dependencies.leaky.OrderWiring;
import io.hexbus.architecture.fixtures.dependencies.thirdparty.guice.Injector;
import io.hexbus.architecture.fixtures.dependencies.thirdparty.jackson.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.util.List;

import static io.hexbus.architecture.RuleAssertions.assertPasses;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.fixtures;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HexagonRules#onlyDependsOn(String, String...)}: the allow-list that keeps the api on the JDK and SLF4J.
 */
class OnlyDependsOnTest {

    private static final String FIXTURES = "io.hexbus.architecture.fixtures.dependencies.";
    private static final JavaClasses CLASSES = fixtures("dependencies");

    @Test
    void passesClassesThatUseOnlyTheJdkSlf4jAndTheirOwnPackage() {
        assertPasses(HexagonRules.onlyDependsOn(FIXTURES + "clean..", "java..", "org.slf4j.."), CLASSES);
    }

    @Test
    void findsAnApiClassThatUsesJacksonOrGuice() {
        List<String> violations = violations(
                HexagonRules.onlyDependsOn(FIXTURES + "leaky..", "java..", "org.slf4j.."), CLASSES);

        assertReports(violations, OrderPlacedJson.class, ObjectMapper.class);
        assertReports(violations, OrderWiring.class, Injector.class);
        assertEquals(2, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void findsSlf4jWhenOnlyTheJdkIsAllowed() {
        List<String> violations = violations(HexagonRules.onlyDependsOn(FIXTURES + "clean..", "java.."), CLASSES);

        assertReports(violations, OrderPlacedLog.class, Logger.class);
    }

    @Test
    void refusesAPackageWithoutClassesUnlessItMayBeAbsent() {
        String absent = FIXTURES + "absent..";

        AssertionError refused = assertThrows(AssertionError.class,
                () -> HexagonRules.onlyDependsOn(absent, "java..").evaluate(CLASSES));
        assertTrue(refused.getMessage().contains("failed to check any classes"), refused::getMessage);
        assertPasses(HexagonRules.onlyDependsOn(absent, "java..").allowEmptyShould(true), CLASSES);
    }
}
