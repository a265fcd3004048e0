package io.hexbus.kafka;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ProgressHeaders} without a broker: generated progress and updates (names and errors with the format's own
 * separators, escapes, newlines, any script, lone surrogates) come back equal and in order; the update is applied at
 * the append time; malformed values, including mutations of valid ones, are refused naming the header, and nothing
 * else is thrown.
 */
class ProgressHeadersTest {

    private static final int RUNS = 1_000;

    // What names and errors are drawn from: the format's separators and escape, look-alikes of escapes, whitespace,
    // other scripts, a surrogate pair (an emoji), lone surrogates, the last BMP character and NUL.
    private static final String[] PIECES = {"a", "Z", "7", ".", "$", "\\", ";", ",", "=", "u", "\\u", "\\uD800", "D800",
            " ", "\n", "\r\n", "\t", "é", "中文", "Ω", "😀", "\uD83D", "\uDE00", "\uFFFF", "\u0000", "-", "1"};

    @Test
    void progressWithoutAnythingIsSmall() {
        assertEquals("1;0;;;;;", new String(ProgressHeaders.encode(Progress.NONE), StandardCharsets.UTF_8));
        assertEquals(Progress.NONE, ProgressHeaders.decodeProgress("1;0;;;;;".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theFormatIsReadable() {
        Progress progress = new Progress(Set.of("mail"), Set.of(), Map.of("bill;ing", 2), Map.of("bill;ing", 1_700L), 1,
                "java.lang.IllegalStateException: down\n\tat x");

        assertEquals("1;1;mail,;;bill\\;ing=2,;bill\\;ing=1700,;java.lang.IllegalStateException: down\n\tat x",
                new String(ProgressHeaders.encode(progress), StandardCharsets.UTF_8));
    }

    @Test
    void generatedProgressComesBackEqualAndInOrder() {
        for (long seed = 1; seed <= RUNS; seed++) {
            Random random = new Random(seed);
            Progress progress = progress(random);

            Progress decoded = ProgressHeaders.decodeProgress(ProgressHeaders.encode(progress));

            String context = "seed " + seed;
            assertEquals(progress, decoded, context);
            assertEquals(List.copyOf(progress.done()), List.copyOf(decoded.done()), context);
            assertEquals(List.copyOf(progress.dead()), List.copyOf(decoded.dead()), context);
            assertEquals(List.copyOf(progress.attempts().entrySet()), List.copyOf(decoded.attempts().entrySet()),
                    context);
            assertEquals(List.copyOf(progress.dueAt().entrySet()), List.copyOf(decoded.dueAt().entrySet()), context);
        }
    }

    @Test
    void generatedUpdatesComeBackEqualAndInOrder() {
        for (long seed = 1; seed <= RUNS; seed++) {
            Random random = new Random(seed);
            ProgressUpdate update = update(random);

            ProgressUpdate decoded = ProgressHeaders.decodeUpdate(ProgressHeaders.encode(update));

            String context = "seed " + seed;
            assertEquals(update, decoded, context);
            assertEquals(List.copyOf(update.attempts().entrySet()), List.copyOf(decoded.attempts().entrySet()),
                    context);
            assertEquals(List.copyOf(update.dueInMillis().entrySet()), List.copyOf(decoded.dueInMillis().entrySet()),
                    context);
            assertEquals(List.copyOf(update.dead()), List.copyOf(decoded.dead()), context);
        }
    }

    @Test
    void restoringAppliesTheUpdateAtTheAppendTime() {
        for (long seed = 1; seed <= RUNS / 4; seed++) {
            Random random = new Random(seed);
            Progress progress = progress(random);
            ProgressUpdate update = update(random);
            long appendMillis = 1_700_000_000_000L + random.nextInt(1_000_000);

            assertEquals(progress.after(update, appendMillis), ProgressHeaders.restore(ProgressHeaders.encode(progress),
                    ProgressHeaders.encode(update), appendMillis), "seed " + seed);
            assertEquals(progress, ProgressHeaders.restore(ProgressHeaders.encode(progress), null, appendMillis),
                    "a hop carries the progress alone");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "2;0;;;;;", "x;0;;;;;", "1;0;;;;", "1;;;;;;", "1;-1;;;;;", "1;0;a;;;;",
            "1;0;a,a,;;;;", "1;0;;;a,;;", "1;0;;;a=x,;;", "1;0;;;a=1;;;", "1;0;;;a=-2,;;", "1;0;;;a=1,a=2,;;",
            "1;0;;;;a=99999999999999999999,;", "1;0;;;;;x;", "1;0;;;;;x\\", "1;0;;;;;x\\q", "1;0;;;;;\\u12",
            "1;0;;;;;\\u0041", "1;0;;;;;\\uZZZZ", "1;0;;;;;a=b", "1;0,;;;;;", "1;99999999999;;;;;"})
    void malformedProgressIsRefusedNamingTheHeader(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProgressHeaders.decodeProgress(value.getBytes(StandardCharsets.UTF_8)));

        assertTrue(refused.getMessage().contains("Kafka header hexbus-progress "), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1;;;;", "1;;;;a,;", "1;;;a=5,;;", "1;;a=x,;;;", "1;;;;;x;y", "1;a;;;;"})
    void malformedUpdatesAreRefusedNamingTheHeader(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProgressHeaders.decodeUpdate(value.getBytes(StandardCharsets.UTF_8)));

        assertTrue(refused.getMessage().contains("Kafka header hexbus-progress-update "), refused.getMessage());
    }

    @Test
    void aMissingOrNonUtf8ValueIsRefusedNamingTheHeader() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ProgressHeaders.restore(null, null, 0));
        assertEquals("Kafka header hexbus-progress is missing", missing.getMessage());

        byte[] notUtf8 = {'1', ';', '0', ';', ';', ';', ';', ';', (byte) 0xC3, (byte) 0x28};
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProgressHeaders.decodeUpdate(notUtf8));
        assertEquals("Kafka header hexbus-progress-update is not UTF-8 text", refused.getMessage());

        byte[] encodedSurrogate = {'1', ';', '0', ';', ';', ';', ';', ';', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThrows(IllegalArgumentException.class, () -> ProgressHeaders.decodeProgress(encodedSurrogate));
    }

    @Test
    void theRefusalOfAnUpdateTheEngineRefusesNamesTheHeader() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProgressHeaders.decodeUpdate("1;;;;billing,;".getBytes(StandardCharsets.UTF_8)));

        assertTrue(refused.getMessage().startsWith("malformed Kafka header hexbus-progress-update"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("without attempts"), refused.getMessage());
    }

    /** A poison retry record must not crash a worker: any damage to a value is refused, or read as something. */
    @Test
    void damagedValuesAreRefusedOrReadNeverCrash() {
        int refusedCount = 0;
        for (long seed = 1; seed <= RUNS; seed++) {
            Random random = new Random(seed);
            boolean isUpdate = random.nextBoolean();
            byte[] value = isUpdate ? ProgressHeaders.encode(update(random)) : ProgressHeaders.encode(progress(random));
            byte[] damaged = damage(value, random);
            try {
                if (isUpdate) {
                    ProgressHeaders.decodeUpdate(damaged);
                } else {
                    ProgressHeaders.decodeProgress(damaged);
                }
            } catch (IllegalArgumentException e) {
                refusedCount++;
                assertTrue(e.getMessage().contains(isUpdate ? "hexbus-progress-update" : "hexbus-progress"),
                        "seed " + seed + ": " + e.getMessage());
            } catch (RuntimeException e) {
                fail("seed " + seed + ": " + e, e);
            }
        }
        assertTrue(refusedCount > RUNS / 2, "the damage was mostly refused: " + refusedCount);
    }

    private static byte[] damage(byte[] value, Random random) {
        byte[] damaged = value.clone();
        switch (random.nextInt(4)) {
            case 0 -> damaged = java.util.Arrays.copyOf(value, random.nextInt(value.length));
            case 1 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            case 2 -> damaged[random.nextInt(damaged.length)] = (byte) ";,=\\".charAt(random.nextInt(4));
            default -> {
                int at = random.nextInt(damaged.length);
                damaged[at] = (byte) "0-;x".charAt(random.nextInt(4));
                damaged = java.util.Arrays.copyOf(damaged, Math.max(1, damaged.length - random.nextInt(3)));
            }
        }
        return damaged;
    }

    // A small generator: no library for it.

    private static Progress progress(Random random) {
        List<String> names = names(random);
        Set<String> done = new LinkedHashSet<>();
        Set<String> dead = new LinkedHashSet<>();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        Map<String, Long> dueAt = new LinkedHashMap<>();
        for (String name : names) {
            switch (random.nextInt(4)) {
                case 0 -> done.add(name);
                case 1 -> {
                    dead.add(name);
                    attempts.put(name, count(random));
                }
                case 2 -> {
                    attempts.put(name, count(random));
                    dueAt.put(name, number(random));
                }
                default -> attempts.put(name, count(random)); // waits for a newer reader
            }
        }
        return new Progress(done, dead, attempts, dueAt, count(random), text(random, 4_000));
    }

    private static ProgressUpdate update(Random random) {
        List<String> names = names(random);
        List<String> done = new ArrayList<>();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        Map<String, Long> dueIn = new LinkedHashMap<>();
        Set<String> dead = new LinkedHashSet<>();
        for (String name : names) {
            switch (random.nextInt(3)) {
                case 0 -> done.add(name);
                case 1 -> {
                    attempts.put(name, count(random));
                    dueIn.put(name, number(random));
                }
                default -> {
                    attempts.put(name, count(random));
                    dead.add(name);
                }
            }
        }
        return new ProgressUpdate(done, attempts, dueIn, dead, text(random, 4_000));
    }

    /** Up to 6 distinct subscription names, up to the grammar's 200 characters (one may be empty). */
    private static List<String> names(Random random) {
        Set<String> names = new LinkedHashSet<>();
        int count = random.nextInt(7);
        while (names.size() < count) {
            names.add(text(random, 200));
        }
        return List.copyOf(names);
    }

    private static String text(Random random, int maxLength) {
        int length = random.nextInt(8) == 0 ? maxLength : random.nextInt(Math.min(maxLength, 40) + 1);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.length() > length ? text.substring(0, length) : text.toString(); // may split a pair: a lone one
    }

    private static int count(Random random) {
        return random.nextInt(5) == 0 ? Integer.MAX_VALUE - random.nextInt(3) : random.nextInt(20);
    }

    private static long number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.MIN_VALUE + random.nextInt(3);
            case 1 -> Long.MAX_VALUE - random.nextInt(3);
            default -> random.nextLong();
        };
    }
}
