package io.hexbus.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport's own scripts as loaded: includes expanded, digest, key counts. No Redis involved. */
class ScriptTest {

    private static final Pattern KEY = Pattern.compile("KEYS\\[(\\d+)]");
    private static final Pattern COUNT_IN_NAME = Pattern.compile(".*-(\\d+)\\.lua");

    private static String raw(Script script) throws IOException {
        try (InputStream in = Script.class.getResourceAsStream("scripts/" + script.file())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha1(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @EnumSource(Script.class)
    void theHighestKeyReferencedInTheExpandedSourceIsTheCountInTheFileName(Script script) {
        Matcher key = KEY.matcher(script.source());
        int highest = 0;
        while (key.find()) {
            highest = Math.max(highest, Integer.parseInt(key.group(1)));
        }
        Matcher count = COUNT_IN_NAME.matcher(script.file());

        if (script == Script.PUBLISH) {
            assertFalse(count.matches(), "publish.lua is variadic: its name has no key count");
            assertEquals(4, highest, "publish.lua names its four fixed keys");
        } else {
            assertTrue(count.matches(), script.file() + " has its key count in its name");
            assertEquals(Integer.parseInt(count.group(1)), highest, script.file());
        }
    }

    @ParameterizedTest
    @EnumSource(Script.class)
    void theDigestIsTheSha1OfTheExpandedSource(Script script) throws Exception {
        assertFalse(script.source().contains("@include"), script.file());
        assertEquals(sha1(script.source()), script.digest(), script.file());
    }

    @Test
    void aScriptWithIncludesIsSentExpandedNotAsWritten() throws Exception {
        String source = Script.RESCHEDULE.source();

        assertTrue(raw(Script.RESCHEDULE).contains("--- @include \"owned-by\""));
        assertEquals(1, source.split("local function nowMs\\(", -1).length - 1, source);
        assertEquals(1, source.split("local function ownedBy\\(", -1).length - 1, source);
        assertEquals(1, source.split("local function pendingOwner\\(", -1).length - 1,
                "owned-by's own include is expanded too: " + source);
        assertNotEquals(sha1(raw(Script.RESCHEDULE)), Script.RESCHEDULE.digest());
    }

    @Test
    void everyFixedScriptRefusesACallWithAnotherNumberOfKeys() {
        for (Script script : Script.values()) {
            if (script == Script.PUBLISH) {
                continue;
            }
            int count = script.keys().count();
            for (int given : List.of(count - 1, count + 1)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> script.keys().check(given), script.file() + " given " + given);
                assertTrue(e.getMessage().contains(script.file()), e.getMessage());
            }
            assertDoesNotThrow(() -> script.keys().check(count), script.file());
        }
    }

    @Test
    void publishTakesItsFourKeysAndAnyNumberOfDedupeKeys() {
        assertTrue(Script.PUBLISH.keys().variadic());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Script.PUBLISH.keys().check(3));
        assertTrue(e.getMessage().contains("publish.lua"), e.getMessage());
        for (int given : Arrays.asList(4, 5, 2004)) {
            assertDoesNotThrow(() -> Script.PUBLISH.keys().check(given));
        }
    }

    @Test
    void aNameWhoseCountDisagreesWithTheSourceIsRefusedAtLoad() {
        String source = ScriptSource.expanded("script-fixtures/", "twice-2.lua");

        assertEquals(2, ScriptKeys.of("twice-2.lua", source).count());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScriptKeys.of("twice-3.lua", source));
        assertTrue(e.getMessage().contains("twice-3.lua") && e.getMessage().contains("KEYS[2]"), e.getMessage());
    }
}
