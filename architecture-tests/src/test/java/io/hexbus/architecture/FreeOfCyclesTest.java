package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.hexbus.architecture.fixtures.cycles.cyclic.left.Left;
import io.hexbus.architecture.fixtures.cycles.cyclic.right.Right;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hexbus.architecture.RuleAssertions.assertPasses;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.fixtures;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HexagonRules#freeOfCycles(String)} against packages with and without a cycle.
 */
class FreeOfCyclesTest {

    private static final String FIXTURES = "io.hexbus.architecture.fixtures.cycles.";
    private static final JavaClasses CLASSES = fixtures("cycles");

    @Test
    void passesPackagesThatDependOneWay() {
        assertPasses(HexagonRules.freeOfCycles(FIXTURES + "acyclic.(*).."), CLASSES);
    }

    @Test
    void findsTwoPackagesThatDependOnEachOtherAndNamesBothArrows() {
        List<String> violations = violations(HexagonRules.freeOfCycles(FIXTURES + "cyclic.(*).."), CLASSES);

        assertEquals(1, violations.size(), () -> String.join("\n", violations));
        assertReports(violations, "Field <" + Left.class.getName() + ".right> has type <" + Right.class.getName() + ">");
        assertReports(violations, "Field <" + Right.class.getName() + ".left> has type <" + Left.class.getName() + ">");
    }
}
