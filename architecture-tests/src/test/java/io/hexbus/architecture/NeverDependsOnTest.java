package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.hexbus.architecture.fixtures.dependencies.leaky.OrderPlacedJson;
import io.hexbus.architecture.fixtures.dependencies.leaky.OrderWiring;
import io.hexbus.architecture.fixtures.dependencies.thirdparty.guice.Injector;
import io.hexbus.architecture.fixtures.dependencies.thirdparty.jackson.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hexbus.architecture.RuleAssertions.assertPasses;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.fixtures;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HexagonRules#neverDependsOn(String, String...)}: the deny-list that keeps the domain away from
 * transports and infrastructure libraries.
 */
class NeverDependsOnTest {

    private static final String FIXTURES = "io.hexbus.architecture.fixtures.dependencies.";
    private static final String JACKSON = FIXTURES + "thirdparty.jackson..";
    private static final String GUICE = FIXTURES + "thirdparty.guice..";
    private static final JavaClasses CLASSES = fixtures("dependencies");

    @Test
    void passesADomainThatUsesNeitherJacksonNorGuice() {
        assertPasses(HexagonRules.neverDependsOn(FIXTURES + "clean..", JACKSON, GUICE), CLASSES);
    }

    @Test
    void findsADomainClassThatUsesJacksonAndOneThatUsesGuice() {
        List<String> violations = violations(HexagonRules.neverDependsOn(FIXTURES + "leaky..", JACKSON, GUICE), CLASSES);

        assertReports(violations, OrderPlacedJson.class, ObjectMapper.class);
        assertReports(violations, OrderWiring.class, Injector.class);
        assertEquals(2, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void findsOnlyWhatIsForbidden() {
        List<String> violations = violations(HexagonRules.neverDependsOn(FIXTURES + "leaky..", GUICE), CLASSES);

        assertReports(violations, OrderWiring.class, Injector.class);
        assertEquals(1, violations.size(), () -> String.join("\n", violations));
    }
}
