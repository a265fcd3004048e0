package io.hexbus.codec;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The path {@link SameComponents} names for the first difference between a published and a decoded event. */
class SameComponentsTest {

    record Money(BigDecimal amount, String currency) {
    }

    record Line(String sku, int quantity) {
    }

    record Order(String id, Money total, List<Line> lines, byte[] data) {
    }

    private static List<Line> lines() {
        return List.of(new Line("a", 1), new Line("b", 2), new Line("c", 3));
    }

    private static Order order() {
        return new Order("o-1", new Money(new BigDecimal("12.50"), "EUR"), lines(), new byte[] {1, 2, 3});
    }

    @Test
    void equalEventsHaveNoDifference() {
        assertEquals(Optional.empty(), SameComponents.firstDifference(order(), order()));
    }

    @Test
    void aListOfAnotherClassWithEqualElementsIsTheSame() {
        Order decoded = new Order("o-1", order().total(), new ArrayList<>(lines()), new byte[] {1, 2, 3});

        assertEquals(Optional.empty(), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void aNestedRecordsComponentIsNamedByItsPath() {
        Order decoded = new Order("o-1", new Money(new BigDecimal("12.5"), "EUR"), lines(), new byte[] {1, 2, 3});

        assertEquals(Optional.of("total.amount"), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void aListElementIsNamedByItsIndex() {
        List<Line> changed = List.of(new Line("a", 1), new Line("b", 2), new Line("c", 4));
        Order decoded = new Order("o-1", order().total(), changed, new byte[] {1, 2, 3});

        assertEquals(Optional.of("lines[2].quantity"), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void aListElementThatBecameNullIsNamedByItsIndex() {
        assertEquals(Optional.of("lines[2]"), SameComponents.firstDifference(
                new Order("o-1", null, List.of(new Line("a", 1), new Line("b", 2), new Line("c", 3)), null),
                new Order("o-1", null, Arrays.asList(new Line("a", 1), new Line("b", 2), null), null)));
    }

    @Test
    void aListOfAnotherLengthIsNamed() {
        Order decoded = new Order("o-1", order().total(), lines().subList(0, 2), new byte[] {1, 2, 3});

        assertEquals(Optional.of("lines"), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void anArrayIsComparedByContentAndNamesTheIndex() {
        Order decoded = new Order("o-1", order().total(), lines(), new byte[] {1, 9, 3});

        assertEquals(Optional.of("data[1]"), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void aComponentThatBecameNullIsNamed() {
        Order decoded = new Order("o-1", null, lines(), new byte[] {1, 2, 3});

        assertEquals(Optional.of("total"), SameComponents.firstDifference(order(), decoded));
    }

    @Test
    void eventsOfDifferentTypesDifferAsAWhole() {
        assertEquals(Optional.of("the event"), SameComponents.firstDifference(order(), new Line("a", 1)));
    }
}
