package io.hexbus.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Factories for the rules that keep a hexagon's dependencies pointing inward. Every factory takes ArchUnit
 * package identifiers ({@code "io.hexbus.api.."}), so the same rule holds hexbus and the test fixtures.
 *
 * <p>Like every ArchUnit rule, a returned rule fails when it matches no classes at all; call
 * {@link ArchRule#allowEmptyShould(boolean) allowEmptyShould(true)} on it only where the package may
 * legitimately be absent.
 */
public final class HexagonRules {

    private HexagonRules() {
    }

    /**
     * Arrows point inward: the port depends on no other part; a transport depends on the port only (never on
     * another transport, the domain, an adapter or the composition root); the domain depends on the port only;
     * adapters depend on anything but the composition root; the composition root may know every part.
     * Dependencies on classes outside the hexagon (the JDK, libraries) are left to other rules.
     *
     * <p>A part that is not {@linkplain Hexagon.Part#mayBeEmpty() allowed to be empty} and has no classes is
     * reported as a violation.
     *
     * @param hexagon the parts and their packages
     * @return the rule
     */
    public static ArchRule arrowsPointInward(Hexagon hexagon) {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Hexagon.Part part : hexagon.parts()) {
            architecture = (part.mayBeEmpty() ? architecture.optionalLayer(part.name()) : architecture.layer(part.name()))
                    .definedBy(part.packageArray());
        }
        String port = hexagon.port().name();
        architecture = architecture.whereLayer(port).mayNotAccessAnyLayer();
        for (Hexagon.Part transport : hexagon.transports()) {
            architecture = architecture.whereLayer(transport.name()).mayOnlyAccessLayers(port);
        }
        architecture = architecture.whereLayer(hexagon.domain().name()).mayOnlyAccessLayers(port);

        List<String> reachableFromAdapters = new ArrayList<>();
        reachableFromAdapters.add(port);
        hexagon.transports().forEach(transport -> reachableFromAdapters.add(transport.name()));
        reachableFromAdapters.add(hexagon.domain().name());
        return architecture.whereLayer(hexagon.adapters().name())
                .mayOnlyAccessLayers(reachableFromAdapters.toArray(String[]::new))
                .because("arrows point inward: only the composition root knows every part (design brief §1)");
    }

    /**
     * Classes in {@code corePackage} depend only on classes in {@code corePackage} itself and in the allowed
     * packages: an allow-list, for the inside of the hexagon.
     *
     * @param corePackage     the package identifier of the classes held, e.g. {@code "io.hexbus.api.."}
     * @param allowedPackages package identifiers they may use besides their own, e.g. {@code "java.."}
     * @return the rule
     */
    public static ArchRule onlyDependsOn(String corePackage, String... allowedPackages) {
        String[] allowed = Stream.concat(Stream.of(corePackage), Stream.of(allowedPackages)).toArray(String[]::new);
        return classes().that().resideInAPackage(corePackage)
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed);
    }

    /**
     * No class in {@code heldPackage} depends on a class in any of the forbidden packages: a deny-list, for
     * naming what the inside of the hexagon must never touch.
     *
     * @param heldPackage       the package identifier of the classes held, e.g. {@code "io.hexbus.sample.."}
     * @param forbiddenPackages package identifiers they must not use, e.g. {@code "com.fasterxml.jackson.."}
     * @return the rule
     */
    public static ArchRule neverDependsOn(String heldPackage, String... forbiddenPackages) {
        return noClasses().that().resideInAPackage(heldPackage)
                .should().dependOnClassesThat().resideInAnyPackage(forbiddenPackages);
    }

    /**
     * No dependency cycles between the slices the pattern cuts, e.g. {@code "io.hexbus.(*).."} for one slice per
     * module or {@code "io.hexbus.(**)"} for one slice per package.
     *
     * @param slicePattern an ArchUnit slice pattern with at least one capture group
     * @return the rule
     */
    public static ArchRule freeOfCycles(String slicePattern) {
        return slices().matching(slicePattern).should().beFreeOfCycles();
    }
}
