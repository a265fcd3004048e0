package io.hexbus.redis;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unhandled entries are counted per name, with a bound on how many names are told apart. */
class UnhandledEventsTest {

    private final UnhandledEvents unhandled = new UnhandledEvents(LoggerFactory.getLogger(UnhandledEventsTest.class),
            Duration.ofHours(1), "test-worker");

    @Test
    void countsPerName() {
        assertEquals("billing.invoice-issued", unhandled.count("billing.invoice-issued"));
        unhandled.count("billing.invoice-issued");
        unhandled.count("shipping.parcel-sent");

        assertEquals(Map.of("billing.invoice-issued", 2L, "shipping.parcel-sent", 1L), unhandled.snapshot());
    }

    @Test
    void namesPastTheBoundAreCountedTogetherAndNamesAlreadyKnownStayApart() {
        for (int i = 0; i < UnhandledEvents.MAX_NAMES; i++) {
            unhandled.count("name-" + i);
        }

        assertEquals(UnhandledEvents.OTHER_NAMES, unhandled.count("one-too-many"));
        assertEquals(UnhandledEvents.OTHER_NAMES, unhandled.count("and-another"));
        assertEquals("name-7", unhandled.count("name-7"));

        Map<String, Long> counts = unhandled.snapshot();
        assertEquals(UnhandledEvents.MAX_NAMES + 1, counts.size());
        assertEquals(2L, counts.get(UnhandledEvents.OTHER_NAMES));
        assertEquals(2L, counts.get("name-7"));
        assertFalse(counts.containsKey("one-too-many"));
    }

    @Test
    void namesAreCheckedAgainstTheEventNameGrammarAndQuotedSafely() {
        assertTrue(EventNames.isValid("billing.invoice-issued"));
        assertTrue(EventNames.isValid("com.example.SomeEvent"));
        assertFalse(EventNames.isValid("io.hexbus.Outer$Inner"));
        assertFalse(EventNames.isValid("a".repeat(201)));
        assertFalse(EventNames.isValid(""));
        assertFalse(EventNames.isValid("with space"));

        assertEquals("'it\\u0027s\\u000a'", EventNames.quote("it's\n"));
        assertEquals("'" + "x".repeat(60) + "…' (61 characters)", EventNames.quote("x".repeat(61)));
    }
}
