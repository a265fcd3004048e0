package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Evaluates a rule against fixture classes and asserts what it reports.
 */
final class RuleAssertions {

    private RuleAssertions() {
    }

    /** Imports the classes of a fixture package and its subpackages. */
    static JavaClasses fixtures(String fixturePackage) {
        return new ClassFileImporter().importPackages("io.hexbus.architecture.fixtures." + fixturePackage);
    }

    /** Asserts that the rule finds nothing wrong. */
    static void assertPasses(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertFalse(result.hasViolation(), () -> "expected no violation, got:\n" + result.getFailureReport());
    }

    /** Asserts that the rule finds violations and returns their details, one line (or block) each. */
    static List<String> violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), () -> "expected a violation of: " + rule.getDescription());
        return result.getFailureReport().getDetails();
    }

    /**
     * Asserts that one detail names both the offending class (or member of it) and what it uses, so a reader
     * of the report can find the line to fix.
     */
    static void assertReports(List<String> details, Class<?> offender, String used) {
        assertReports(details, "<" + offender.getName() + ".", used);
    }

    /** As {@link #assertReports(List, Class, String)}, with the used class given as a class. */
    static void assertReports(List<String> details, Class<?> offender, Class<?> used) {
        assertReports(details, offender, "<" + used.getName() + ">");
    }

    /** Asserts that one detail contains every fragment. */
    static void assertReports(List<String> details, String... fragments) {
        if (details.stream().noneMatch(detail -> Arrays.stream(fragments).allMatch(detail::contains))) {
            fail("no violation mentions all of " + Arrays.toString(fragments) + "; violations:\n"
                    + String.join("\n", details));
        }
    }

    /** Asserts that no detail mentions the class, which obeys the rule. */
    static void assertNotReported(List<String> details, Class<?> innocent) {
        details.stream().filter(detail -> detail.contains("<" + innocent.getName() + "."))
                .findFirst()
                .ifPresent(detail -> fail(innocent.getName() + " obeys the rule but was reported: " + detail));
    }
}
