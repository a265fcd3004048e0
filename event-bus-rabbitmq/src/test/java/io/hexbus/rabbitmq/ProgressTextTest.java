package io.hexbus.rabbitmq;

import io.hexbus.engine.Progress;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress as header text: relative due times, names of any character, the bounded error, strict refusals. */
class ProgressTextTest {

    private static final long WRITTEN = 1_700_000_000_000L;
    private static final long READ = 1_800_000_000_000L; // another clock, far from the writer's

    @Test
    void theFormatIsPinned() {
        Progress progress = new Progress(Set.of("a"), Set.of("b"), Map.of("a", 1), Map.of("a", WRITTEN + 500), 2,
                "boom");

        assertEquals("1;2;a,;b,;a=1,;a=500,;boom", ProgressText.encode(progress, WRITTEN));
    }

    @Test
    void nothingRecordedRoundTrips() {
        assertEquals(Progress.NONE, ProgressText.decode(ProgressText.encode(Progress.NONE, WRITTEN), READ, 0));
    }

    @Test
    void dueTimesTravelAsDelaysLessTheTimeSpentWaiting() {
        Map<String, Long> dueAt = new LinkedHashMap<>();
        dueAt.put("soon", WRITTEN + 4_000);
        dueAt.put("later", WRITTEN + 60_000);
        dueAt.put("past", WRITTEN - 10_000);
        Progress progress = new Progress(Set.of(), Set.of(), Map.of("soon", 1, "later", 3, "past", 2), dueAt, 0,
                "");
        String text = ProgressText.encode(progress, WRITTEN);

        assertEquals(Map.of("soon", READ + 4_000, "later", READ + 60_000, "past", READ),
                ProgressText.decode(text, READ, 0).dueAt());
        assertEquals(Map.of("soon", READ, "later", READ + 44_000, "past", READ),
                ProgressText.decode(text, READ, 16_000).dueAt());
        assertEquals(Map.of("soon", READ, "later", READ, "past", READ),
                ProgressText.decode(text, READ, 3_600_000).dueAt());
    }

    @Test
    void everythingElseRoundTrips() {
        Progress progress = new Progress(Set.of("done-1", "done-2"), Set.of("dead"), Map.of("dead", 5, "w", 2),
                Map.of("w", WRITTEN + 1000), 7, "java.lang.IllegalStateException: no\n\tat x.y(Z.java:1)");

        Progress read = ProgressText.decode(ProgressText.encode(progress, WRITTEN), READ, 0);

        assertEquals(new Progress(progress.done(), progress.dead(), progress.attempts(), Map.of("w", READ + 1000),
                7, progress.lastError()), read);
    }

    @Test
    void namesAndTheErrorMayHoldAnyCharacter() {
        List<String> names = List.of("", "a;b", "c,d", "e=f", "back\\slash", "new\nline", "sp ace", "ünï 標識 🎉",
                "lone \uD800 high", "lone \uDC00 low", "\\u0041 literal");
        for (String name : names) {
            Progress progress = new Progress(Set.of(name), Set.of(name + "x"), Map.of(name, 1),
                    Map.of(name, WRITTEN + 10), 0, name + ";,=\\");
            Progress read = ProgressText.decode(ProgressText.encode(progress, WRITTEN), WRITTEN, 0);
            assertEquals(progress, read, () -> "for '" + name + "'");
        }
    }

    @Test
    void theLastErrorIsCutToItsBoundWithoutSplittingAPair() {
        String plain = "e".repeat(ProgressText.MAX_ERROR_CHARS + 500);
        Progress read = ProgressText.decode(ProgressText.encode(withError(plain), WRITTEN), WRITTEN, 0);
        assertEquals(plain.substring(0, ProgressText.MAX_ERROR_CHARS), read.lastError());

        String pairAtTheCut = "e".repeat(ProgressText.MAX_ERROR_CHARS - 1) + "🎉" + "tail";
        Progress cut = ProgressText.decode(ProgressText.encode(withError(pairAtTheCut), WRITTEN), WRITTEN, 0);
        assertEquals("e".repeat(ProgressText.MAX_ERROR_CHARS - 1), cut.lastError());
    }

    @Test
    void malformedTextIsRefusedNamingTheHeaderAndWhy() {
        assertRefused(null, "is missing");
        assertRefused("", "ends early");
        assertRefused("2;0;;;;;", "version '2' is not 1");
        assertRefused("1;-1;;;;;", "'-1' is not a number");
        assertRefused("1;0;;;a=+1,;;", "'+1' is not a number");
        assertRefused("1;0;;;a= 1,;;", "' 1' is not a number");
        assertRefused("1;0;;;a=2147483648,;;", "'2147483648' is not a number from 0 to 2147483647");
        assertRefused("1;0;;;;a=1.5,;", "'1.5' is not a number");
        assertRefused("1;0;;;;a=-5,;", "'-5' is not a number");
        assertRefused("1;0;;;;a=99999999999999999999,;", "is not a number");
        assertRefused("1;0;a,a,;;;;", "'a' is listed twice");
        assertRefused("1;0;;;;a=1,a=2,;", "'a' is listed twice");
        assertRefused("1;0;;;;a=1;", "unexpected ';', expected ','");
        assertRefused("1;0;;;;a=1,", "ends early");
        assertRefused("1;0;a\\x,;;;;", "unknown escape '\\x'");
        assertRefused("1;0;;;;;bad;error", "unexpected ';'");
        assertRefused("1;0;;;a,;;", "unexpected ','");
        assertRefused("1;0;;;;a=" + Long.MAX_VALUE + ",;", "is too far");
    }

    @Test
    void aNegativeElapsedTimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProgressText.decode("1;0;;;;;", READ, -1));
    }

    private static Progress withError(String error) {
        return new Progress(Set.of(), Set.of(), Map.of(), Map.of(), 0, error);
    }

    private static void assertRefused(String text, String why) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProgressText.decode(text, READ, 0));
        assertTrue(refused.getMessage().contains(ProgressText.HEADER), refused.getMessage());
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }
}
