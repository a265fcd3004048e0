package io.hexbus.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.hexbus.architecture.fixtures.hexagon.outward.adapters.AdapterThatReachesIntoTheApp;
import io.hexbus.architecture.fixtures.hexagon.outward.adapters.OrderController;
import io.hexbus.architecture.fixtures.hexagon.outward.app.App;
import io.hexbus.architecture.fixtures.hexagon.outward.domain.PlaceOrder;
import io.hexbus.architecture.fixtures.hexagon.outward.domain.UseCaseThatCallsAnAdapter;
import io.hexbus.architecture.fixtures.hexagon.outward.domain.UseCaseThatNamesATransport;
import io.hexbus.architecture.fixtures.hexagon.outward.port.PortThatNamesATransport;
import io.hexbus.architecture.fixtures.hexagon.outward.transport.first.FirstTransport;
import io.hexbus.architecture.fixtures.hexagon.outward.transport.first.TransportThatCallsTheDomain;
import io.hexbus.architecture.fixtures.hexagon.outward.transport.first.TransportThatKnowsTheApp;
import io.hexbus.architecture.fixtures.hexagon.outward.transport.first.TransportThatUsesAnotherTransport;
import io.hexbus.architecture.fixtures.hexagon.outward.transport.second.SecondTransport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hexbus.architecture.RuleAssertions.assertNotReported;
import static io.hexbus.architecture.RuleAssertions.assertPasses;
import static io.hexbus.architecture.RuleAssertions.assertReports;
import static io.hexbus.architecture.RuleAssertions.fixtures;
import static io.hexbus.architecture.RuleAssertions.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link HexagonRules#arrowsPointInward(Hexagon)} against a hexagon that obeys it and one that breaks it once
 * per part.
 */
class ArrowsPointInwardTest {

    private static final String FIXTURES = "io.hexbus.architecture.fixtures.hexagon.";

    private static final JavaClasses INWARD = fixtures("hexagon.inward");
    private static final JavaClasses OUTWARD = fixtures("hexagon.outward");
    private static final List<String> OUTWARD_VIOLATIONS = violations(rule("outward"), OUTWARD);

    /** The fixture hexagon; the third transport is optional and has no classes. */
    private static ArchRule rule(String fixture) {
        String root = FIXTURES + fixture;
        return HexagonRules.arrowsPointInward(new Hexagon(
                Hexagon.Part.of("Port", root + ".port.."),
                List.of(Hexagon.Part.of("First transport", root + ".transport.first.."),
                        Hexagon.Part.of("Second transport", root + ".transport.second.."),
                        Hexagon.Part.optional("Third transport", root + ".transport.third..")),
                Hexagon.Part.of("Domain", root + ".domain.."),
                Hexagon.Part.of("Adapters", root + ".adapters.."),
                Hexagon.Part.of("Composition root", root + ".app..")));
    }

    @Test
    void passesAHexagonWhoseArrowsPointInwardWithAnOptionalTransportMissing() {
        assertPasses(rule("inward"), INWARD);
    }

    @Test
    void findsAPortThatNamesATransport() {
        assertReports(OUTWARD_VIOLATIONS, PortThatNamesATransport.class, FirstTransport.class);
    }

    @Test
    void findsATransportThatUsesAnotherTransport() {
        assertReports(OUTWARD_VIOLATIONS, TransportThatUsesAnotherTransport.class, SecondTransport.class);
    }

    @Test
    void findsATransportThatCallsTheDomain() {
        assertReports(OUTWARD_VIOLATIONS, TransportThatCallsTheDomain.class, PlaceOrder.class);
    }

    @Test
    void findsATransportThatKnowsTheCompositionRoot() {
        assertReports(OUTWARD_VIOLATIONS, TransportThatKnowsTheApp.class, App.class);
    }

    @Test
    void findsADomainThatNamesATransport() {
        assertReports(OUTWARD_VIOLATIONS, UseCaseThatNamesATransport.class, SecondTransport.class);
    }

    @Test
    void findsADomainThatCallsAnAdapter() {
        assertReports(OUTWARD_VIOLATIONS, UseCaseThatCallsAnAdapter.class, OrderController.class);
    }

    @Test
    void findsAnAdapterThatReachesIntoTheCompositionRoot() {
        assertReports(OUTWARD_VIOLATIONS, AdapterThatReachesIntoTheApp.class, App.class);
    }

    @Test
    void reportsEachWrongArrowOnceAndNothingElse() {
        assertEquals(7, OUTWARD_VIOLATIONS.size(), () -> String.join("\n", OUTWARD_VIOLATIONS));
        assertNotReported(OUTWARD_VIOLATIONS, App.class);
        assertNotReported(OUTWARD_VIOLATIONS, OrderController.class);
        assertNotReported(OUTWARD_VIOLATIONS, PlaceOrder.class);
        assertNotReported(OUTWARD_VIOLATIONS, FirstTransport.class);
    }

    @Test
    void findsARequiredPartWithoutClassesSoItNeverPassesVacuously() {
        String root = FIXTURES + "inward";
        ArchRule domainMisspelt = HexagonRules.arrowsPointInward(new Hexagon(
                Hexagon.Part.of("Port", root + ".port.."),
                List.of(Hexagon.Part.of("First transport", root + ".transport.first..")),
                Hexagon.Part.of("Domain", root + ".domian.."),
                Hexagon.Part.of("Adapters", root + ".adapters.."),
                Hexagon.Part.of("Composition root", root + ".app..")));

        assertReports(violations(domainMisspelt, INWARD), "Layer 'Domain' is empty");
    }

    @Test
    void refusesTwoPartsWithOneName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Hexagon(
                Hexagon.Part.of("Port", "a.."), List.of(Hexagon.Part.of("Port", "b..")),
                Hexagon.Part.of("Domain", "c.."), Hexagon.Part.of("Adapters", "d.."),
                Hexagon.Part.of("Composition root", "e..")));
        assertEquals("Two parts of the hexagon are named 'Port'", refused.getMessage());
    }
}
