package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Include expansion, on the fixtures under {@code script-fixtures/}: no Redis involved. */
class ScriptSourceTest {

    private static final String FIXTURES = "script-fixtures/";

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void anIncludeLineIsReplacedByTheIncludeExpandedInTurn() {
        String source = ScriptSource.expanded(FIXTURES, "twice-2.lua");

        assertFalse(source.contains("@include"), source);
        assertTrue(source.indexOf("local function first(") < source.indexOf("local function second("), source);
        assertTrue(source.indexOf("local function second(") < source.indexOf("return {first"), source);
        assertTrue(source.startsWith("-- KEYS[1], KEYS[2]"), "the script's own lines stay: " + source);
    }

    @Test
    void anIncludeIsExpandedOnceHoweverOftenAndFromWhereverItIsNamed() {
        String source = ScriptSource.expanded(FIXTURES, "twice-2.lua");

        assertEquals(1, occurrences(source, "local function first("), source);
        assertEquals(1, occurrences(source, "local function second("), source);
    }

    @Test
    void includesThatNameEachOtherAreEachExpandedOnce() {
        String source = ScriptSource.expanded(FIXTURES, "cycle-0.lua");

        assertEquals(1, occurrences(source, "local function ping("), source);
        assertEquals(1, occurrences(source, "local function pong("), source);
    }

    @Test
    void aMissingIncludeIsNamedWithTheScriptThatWantsIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScriptSource.expanded(FIXTURES, "missing-0.lua"));

        assertTrue(e.getMessage().contains("missing-0.lua") && e.getMessage().contains("\"nowhere\""),
                e.getMessage());
    }

    @Test
    void anIncludeLineWithoutAQuotedNameIsRefusedRatherThanLeftAsAComment() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScriptSource.expanded(FIXTURES, "malformed-0.lua"));

        assertTrue(e.getMessage().contains("malformed-0.lua"), e.getMessage());
    }

    @Test
    void aMissingScriptIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScriptSource.expanded(FIXTURES, "absent-1.lua"));

        assertTrue(e.getMessage().contains("absent-1.lua"), e.getMessage());
    }
}
