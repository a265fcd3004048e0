package io.hexbus.engine;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProgressFieldsTest {

    private static ProgressFields.Reader reader(String text) {
        return new ProgressFields.Reader("malformed test text", text);
    }

    @Test
    void writesEachSectionEscapedAndReadsItBack() {
        Map<String, Long> numbers = new LinkedHashMap<>();
        numbers.put("a=b", 7L);
        numbers.put("", 0L);
        StringBuilder text = new StringBuilder("1;");
        ProgressFields.names(text, List.of("x,y", "back\\slash", "semi;colon"));
        ProgressFields.numbers(text, numbers);
        ProgressFields.escape(text, "lone \uD800 surrogate;\n");

        assertEquals("1;x\\,y,back\\\\slash,semi\\;colon,;a\\=b=7,=0,;lone \\uD800 surrogate\\;\n", text.toString());
        ProgressFields.Reader in = reader(text.toString());
        in.version("1");
        assertEquals(List.of("x,y", "back\\slash", "semi;colon"), in.nameList());
        assertEquals(Map.of("a=b", "7", "", "0"), in.entries());
        assertEquals("lone \uD800 surrogate;\n", in.last());
    }

    @Test
    void aPairOfSurrogatesIsItself() {
        StringBuilder text = new StringBuilder();
        ProgressFields.escape(text, "😀");

        assertEquals("😀", text.toString());
    }

    @Test
    void refusalsNameWhatIsReadAndWhere() {
        assertEquals("malformed test text at character 1: version '2' is not 1",
                assertThrows(IllegalArgumentException.class, () -> reader("2;").version("1")).getMessage());
        assertEquals("malformed test text at character 5: 'a' is listed twice",
                assertThrows(IllegalArgumentException.class, () -> reader("a,a,;").nameSet()).getMessage());
        assertEquals("malformed test text at character 1: unknown escape '\\x'",
                assertThrows(IllegalArgumentException.class, () -> reader("\\x;").section(';')).getMessage());
        assertEquals("malformed test text at character 2: it ends early, expected ';'",
                assertThrows(IllegalArgumentException.class, () -> reader("ab").section(';')).getMessage());
        assertEquals("malformed test text at character 1: unexpected ','",
                assertThrows(IllegalArgumentException.class, () -> reader("a,b").last()).getMessage());
        assertEquals(Set.of(), reader(";").nameSet());
    }
}
