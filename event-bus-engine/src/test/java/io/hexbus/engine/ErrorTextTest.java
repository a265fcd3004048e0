package io.hexbus.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failure as text: its summary for logs, and a bounded description, causes included, for dead letters. */
class ErrorTextTest {

    @Test
    void aSummaryIsTheClassAndTheMessageIfThereIsOne() {
        assertEquals("java.lang.IllegalStateException: warehouse down",
                ErrorText.summary(new IllegalStateException("warehouse down")));
        assertEquals("java.lang.IllegalStateException", ErrorText.summary(new IllegalStateException()));
    }

    @Test
    void aDescriptionHasTheFirstFramesAndEveryCause() {
        Exception error = new IllegalStateException("outer", new IllegalArgumentException("inner",
                new ArithmeticException("root")));

        String text = ErrorText.describe(error);

        assertTrue(text.startsWith("java.lang.IllegalStateException: outer\n\tat "), text);
        assertTrue(text.endsWith("\nCaused by: java.lang.IllegalArgumentException: inner"
                + "\nCaused by: java.lang.ArithmeticException: root"), text);
        assertTrue(text.lines().filter(line -> line.startsWith("\tat ")).count() <= 8, text);
    }

    @Test
    void aDescriptionIsBoundedHoweverLongTheMessage() {
        String text = ErrorText.describe(new IllegalStateException("x".repeat(10_000)));

        assertEquals(4_001, text.length());
        assertTrue(text.endsWith("…"));
    }
}
