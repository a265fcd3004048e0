package io.hexbus.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed progress: what it answers per subscription, and what an update and a takeover make of it. */
class ProgressTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void noProgressOwesEverySubscriptionItsFirstAttemptNow() {
        assertFalse(Progress.NONE.isDone("a"));
        assertFalse(Progress.NONE.isDead("a"));
        assertEquals(0, Progress.NONE.attempts("a"));
        assertEquals(0, Progress.NONE.dueAt("a"));
        assertEquals(0, Progress.NONE.takeovers());
        assertEquals("", Progress.NONE.lastError());
    }

    @Test
    void anUpdateAddsToWhatWasRecordedAndTurnsItsDelaysIntoDueTimesFromTheBrokersClock() {
        Progress before = new Progress(Set.of("a"), Set.of("b"), Map.of("b", 3, "c", 1), Map.of("c", NOW - 5), 2,
                "older");
        ProgressUpdate update = new ProgressUpdate(List.of("d"), Map.of("c", 2, "e", 1), Map.of("c", 4_000L),
                Set.of("e"), "newer");

        Progress after = before.after(update, NOW);

        assertEquals(new Progress(Set.of("a", "d"), Set.of("b", "e"), Map.of("b", 3, "c", 2, "e", 1),
                Map.of("c", NOW + 4_000), 2, "newer"), after);
        assertTrue(after.isDone("d"));
        assertTrue(after.isDead("e"));
        assertEquals(NOW + 4_000, after.dueAt("c"));
        assertEquals(new Progress(Set.of("a"), Set.of("b"), Map.of("b", 3, "c", 1), Map.of("c", NOW - 5), 2, "older"),
                before, "the value it was applied to is unchanged");
    }

    @Test
    void aTakeoverCountsOneMoreAndChangesNothingElse() {
        Progress before = new Progress(Set.of("a"), Set.of(), Map.of("b", 1), Map.of("b", NOW), 0, "e");

        Progress taken = before.takenOver().takenOver();

        assertEquals(2, taken.takeovers());
        assertEquals(new Progress(Set.of("a"), Set.of(), Map.of("b", 1), Map.of("b", NOW), 2, "e"), taken);
        assertEquals(0, before.takeovers());
    }

    @Test
    void itCopiesWhatItIsGivenKeepsItsOrderAndCannotBeChanged() {
        Set<String> dead = new LinkedHashSet<>(List.of("z", "a", "m"));
        Map<String, Integer> attempts = new HashMap<>(Map.of("z", 1, "a", 1, "m", 1));
        Progress progress = new Progress(Set.of(), dead, attempts, Map.of(), 0, "");

        dead.add("later");
        attempts.put("later", 1);

        assertEquals(List.of("z", "a", "m"), new ArrayList<>(progress.dead()));
        assertFalse(progress.attempts().containsKey("later"));
        assertThrows(UnsupportedOperationException.class, () -> progress.dead().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> progress.attempts().put("x", 1));
    }

    @Test
    void negativeCountsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Progress(Set.of(), Set.of(), Map.of("a", -1), Map.of(), 0, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new Progress(Set.of(), Set.of(), Map.of(), Map.of(), -1, ""));
    }
}
