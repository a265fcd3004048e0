package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.hexbus.architecture.fixtures.output.cli.CommandLine;
import io.hexbus.architecture.fixtures.output.console.PrintsAStackTrace;
import io.hexbus.architecture.fixtures.output.console.PrintsToSystemErr;
import io.hexbus.architecture.fixtures.output.console.PrintsToSystemOut;
import io.hexbus.architecture.fixtures.output.jul.KeepsAJulLogger;
import io.hexbus.architecture.fixtures.output.jul.LogsThroughJulInline;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hexbus.architecture.RuleAssertions.assertNotReported;
import static io.hexbus.architecture.RuleAssertions.assertPasses;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.fixtures;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CodingRules}: output goes through SLF4J, never to the console or {@code java.util.logging}.
 */
class CodingRulesTest {

    private static final JavaClasses SLF4J = fixtures("output.slf4j");
    private static final JavaClasses CONSOLE = fixtures("output.console");
    private static final JavaClasses CLI = fixtures("output.cli");
    private static final JavaClasses JUL = fixtures("output.jul");

    @Test
    void passesAClassThatLogsThroughSlf4j() {
        assertPasses(CodingRules.noStandardStreams(), SLF4J);
        assertPasses(CodingRules.noJavaUtilLogging(), SLF4J);
    }

    @Test
    void findsSystemOutSystemErrAndPrintStackTrace() {
        List<String> violations = violations(CodingRules.noStandardStreams(), CONSOLE);

        assertReports(violations, PrintsToSystemOut.class, "<java.lang.System.out>");
        assertReports(violations, PrintsToSystemErr.class, "<java.lang.System.err>");
        assertReports(violations, PrintsAStackTrace.class, "printStackTrace()");
        assertEquals(3, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void exemptsANamedCommandLineClassAndItsNestedClasses() {
        assertReports(violations(CodingRules.noStandardStreams(), CLI), "<" + CommandLine.class.getName() + "$Usage.",
                "<java.lang.System.err>");
        assertPasses(CodingRules.noStandardStreams(CommandLine.class.getName()), CLI);
    }

    @Test
    void exemptsOnlyTheNamedClass() {
        List<String> violations = violations(CodingRules.noStandardStreams(CommandLine.class.getName()), CONSOLE);

        assertEquals(3, violations.size(), () -> String.join("\n", violations));
    }

    @Test
    void findsJavaUtilLoggingInAFieldAndInline() {
        List<String> violations = violations(CodingRules.noJavaUtilLogging(), JUL);

        assertReports(violations, KeepsAJulLogger.class, "<java.util.logging.Logger");
        assertReports(violations, LogsThroughJulInline.class, "<java.util.logging.Logger");
    }

    @Test
    void findsInlineJavaUtilLoggingThatArchUnitsOwnRuleMisses() {
        List<String> archUnits = violations(GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING, JUL);

        assertReports(archUnits, KeepsAJulLogger.class, "sets field");
        assertNotReported(archUnits, LogsThroughJulInline.class);
    }
}
