package io.hexbus.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Factories for coding rules that every hexbus class keeps: it logs through SLF4J, never to the console or
 * through {@code java.util.logging}.
 */
public final class CodingRules {

    private CodingRules() {
    }

    /**
     * No class writes to {@code System.out} or {@code System.err} or calls {@code Throwable.printStackTrace()}
     * (ArchUnit's {@link GeneralCodingRules#ACCESS_STANDARD_STREAMS}, which covers all three).
     *
     * @param exemptClassNames fully qualified names of classes allowed to use the console, such as a
     *                         command-line {@code main} class; their nested and anonymous classes are exempt too
     * @return the rule
     */
    public static ArchRule noStandardStreams(String... exemptClassNames) {
        List<String> exempt = List.of(exemptClassNames);
        return (exempt.isEmpty()
                ? noClasses().should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                : noClasses().that(areNoneOf(exempt)).should(GeneralCodingRules.ACCESS_STANDARD_STREAMS))
                .because("hexbus logs through SLF4J (design brief §6)");
    }

    /**
     * No class depends on {@code java.util.logging} in any way. Stricter than ArchUnit's
     * {@link GeneralCodingRules#NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING}, which only sees a class that keeps a
     * logger in a field, not one that calls {@code Logger.getLogger(..).info(..)} inline.
     *
     * @return the rule
     */
    public static ArchRule noJavaUtilLogging() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("java.util.logging..")
                .because("hexbus logs through SLF4J (design brief §6)");
    }

    private static DescribedPredicate<JavaClass> areNoneOf(List<String> exemptClassNames) {
        return DescribedPredicate.describe("are none of " + exemptClassNames, javaClass -> exemptClassNames.stream()
                .noneMatch(exempt -> javaClass.getName().equals(exempt) || javaClass.getName().startsWith(exempt + "$")));
    }
}
