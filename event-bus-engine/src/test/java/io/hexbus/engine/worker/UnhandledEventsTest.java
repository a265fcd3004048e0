package io.hexbus.engine.worker;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
    void eachNameIsLoggedOnceAndNamesFirstSeenWhileTheLineIsHeldBackAreNamedInTheNextLine() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        UnhandledEvents limited = new UnhandledEvents(lines::add, Duration.ofSeconds(10), "w", now::get);

        limited.count("billing.invoice-issued");
        limited.count("billing.invoice-issued");
        limited.count("shipping.parcel-sent"); // first seen within the interval: held back
        limited.count("crm.contact-added");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("events named 'billing.invoice-issued' have no subscription"), lines.get(0));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limited.count("billing.invoice-issued"); // any unhandled entry writes the held-back line once it is due
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("events named 'shipping.parcel-sent', 'crm.contact-added' have"), lines.get(1));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limited.count("shipping.parcel-sent");
        assertEquals(2, lines.size(), "a name is logged once");
    }

    @Test
    void aNameHeldBackIsNamedByTheMaintenanceTickWhenNoOtherUnhandledEntryFollows() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        UnhandledEvents limited = new UnhandledEvents(lines::add, Duration.ofSeconds(10), "w", now::get);
        limited.count("billing.invoice-issued");
        limited.count("shipping.parcel-sent");

        limited.logIfDue();
        assertEquals(1, lines.size(), "not due yet");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limited.logIfDue();
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("events named 'shipping.parcel-sent' have"), lines.get(1));
        limited.logIfDue();
        assertEquals(2, lines.size(), "nothing more to name");
    }

    @Test
    void aLineListsAtMostTwentyNewNamesAndCountsTheRest() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        UnhandledEvents limited = new UnhandledEvents(lines::add, Duration.ofSeconds(10), "w", now::get);
        limited.count("first");
        for (int i = 0; i < UnhandledEvents.MAX_LISTED + 5; i++) {
            limited.count("name-" + i);
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limited.count("first");

        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("'name-19' and 5 more names have"), lines.get(1));
        assertFalse(lines.get(1).contains("'name-20'"), lines.get(1));
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
