package io.hexbus.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The escaped text a transport writes a {@link Progress} (or a {@link ProgressUpdate}) in, field by field, when its
 * broker carries it as a string header: sections each ended by {@code ;} (the last one by the end of the text), a
 * list being its names each followed by {@code ,}, a map its {@code name=number} each followed by {@code ,}. In names
 * and free text, {@code \}, {@code ;}, {@code ,} and {@code =} are written {@code \\}, {@code \;}, {@code \,} and
 * {@code \=}, and a lone surrogate <code>&#92;uXXXX</code> (UTF-8 cannot carry it); everything else (newlines, any
 * script) is itself. Names may be anything, the empty name too: a terminator, not a separator, ends each one.
 *
 * <p>Which sections a header has, in which order, its version and how its numbers are checked stay the transport's:
 * this class writes and reads the sections, so that every transport escapes alike.
 *
 * <p>The static methods are stateless and thread-safe.
 */
public final class ProgressFields {

    private static final String SPECIAL = "\\;,=";

    private ProgressFields() {
    }

    /**
     * Appends a list section: each name escaped and followed by {@code ,}, then {@code ;}.
     *
     * @param text  the text being written
     * @param names the names, in their iteration order
     */
    public static void names(StringBuilder text, Collection<String> names) {
        for (String name : names) {
            escape(text, name);
            text.append(',');
        }
        text.append(';');
    }

    /**
     * Appends a map section: each {@code name=number,} with the name escaped and the number decimal, then {@code ;}.
     *
     * @param text    the text being written
     * @param numbers the numbers by name, in their iteration order
     */
    public static void numbers(StringBuilder text, Map<String, ? extends Number> numbers) {
        numbers.forEach((name, number) -> {
            escape(text, name);
            text.append('=').append(number).append(',');
        });
        text.append(';');
    }

    /**
     * Appends a value escaped, with no terminator.
     *
     * @param text  the text being written
     * @param value any text, lone surrogates too
     */
    public static void escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                text.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                text.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                text.append("\\u").append(String.format("%04X", (int) c));
            } else {
                text.append(c);
            }
        }
    }

    /**
     * @param value a value to quote in a refusal
     * @return its first 40 characters, followed by {@code …} if it is longer
     */
    public static String excerpt(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /**
     * A cursor over a text of this format, read section by section in the order it was written. Every refusal is an
     * {@link IllegalArgumentException} "<i>what</i> at character <i>n</i>: <i>why</i>".
     *
     * <p>Not thread-safe: one reader per text, on one thread.
     */
    public static final class Reader {

        private static final int TO_THE_END = -1; // no char equals it: the last section may hold any character

        private final String what;
        private final String text;
        private int at;

        /**
         * @param what what the text is, as each refusal starts, such as {@code malformed header hexbus-progress
         *             (format 1)}
         * @param text the text
         * @throws NullPointerException if an argument is null
         */
        public Reader(String what, String text) {
            this.what = Objects.requireNonNull(what, "what");
            this.text = Objects.requireNonNull(text, "text");
        }

        /**
         * Reads the version section.
         *
         * @param expected the only version read
         * @throws IllegalArgumentException if the section is another version or malformed
         */
        public void version(String expected) {
            String version = name(';');
            if (!expected.equals(version)) {
                throw refused("version '" + excerpt(version) + "' is not " + expected);
            }
            at++;
        }

        /**
         * Reads a section holding one value, unescaped, up to the terminator {@code end}, which it consumes.
         *
         * @param end the terminator, such as {@code ;}
         * @return the value
         * @throws IllegalArgumentException if another unescaped separator, an unknown escape or the end of the text
         *                                  comes first
         */
        public String section(char end) {
            String value = name(end);
            at++;
            return value;
        }

        /**
         * Reads a list section.
         *
         * @return its names, in order, duplicates refused
         * @throws IllegalArgumentException if a name is listed twice or the section is malformed
         */
        public Set<String> nameSet() {
            Set<String> names = new LinkedHashSet<>();
            for (String name : nameList()) {
                if (!names.add(name)) {
                    throw refused("'" + excerpt(name) + "' is listed twice");
                }
            }
            return names;
        }

        /**
         * Reads a list section.
         *
         * @return its names, in order, duplicates kept
         * @throws IllegalArgumentException if the section is malformed
         */
        public List<String> nameList() {
            List<String> names = new ArrayList<>();
            while (peek() != ';') {
                names.add(name(','));
                at++;
            }
            at++;
            return names;
        }

        /**
         * Reads a map section, leaving its numbers as text for the caller to check.
         *
         * @return its entries, in order
         * @throws IllegalArgumentException if a name is listed twice or the section is malformed
         */
        public Map<String, String> entries() {
            Map<String, String> entries = new LinkedHashMap<>();
            while (peek() != ';') {
                String name = name('=');
                at++;
                String number = name(',');
                at++;
                if (entries.put(name, number) != null) {
                    throw refused("'" + excerpt(name) + "' is listed twice");
                }
            }
            at++;
            return entries;
        }

        /**
         * Reads the last section: everything left, which must contain no unescaped separator.
         *
         * @return its value, unescaped
         * @throws IllegalArgumentException if the section is malformed
         */
        public String last() {
            return name(TO_THE_END);
        }

        /**
         * @param why what is wrong
         * @return the exception to throw, naming what is read and where the reader stands
         */
        public IllegalArgumentException refused(String why) {
            return new IllegalArgumentException(what + " at character " + at + ": " + why);
        }

        private char peek() {
            if (at >= text.length()) {
                throw refused("it ends early");
            }
            return text.charAt(at);
        }

        /**
         * Reads an escaped text up to the unescaped {@code end}, left unconsumed; another unescaped separator, or the
         * end of the value unless {@code end} is {@link #TO_THE_END}, is malformed.
         */
        private String name(int end) {
            StringBuilder name = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    if (end == TO_THE_END) {
                        return name.toString();
                    }
                    throw refused("it ends early, expected '" + (char) end + "'");
                }
                char c = text.charAt(at);
                if (c == end) {
                    return name.toString();
                }
                if (c == '\\') {
                    at++;
                    name.append(unescape());
                } else if (SPECIAL.indexOf(c) >= 0) {
                    throw refused("unexpected '" + c + "'"
                            + (end == TO_THE_END ? "" : ", expected '" + (char) end + "'"));
                } else {
                    name.append(c);
                    at++;
                }
            }
        }

        private char unescape() {
            if (at >= text.length()) {
                throw refused("it ends in an escape");
            }
            char c = text.charAt(at);
            if (SPECIAL.indexOf(c) >= 0) {
                at++;
                return c;
            }
            if (c == 'u' && at + 5 <= text.length()) {
                String hex = text.substring(at + 1, at + 5);
                if (hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                    char unit = (char) Integer.parseInt(hex, 16);
                    if (Character.isSurrogate(unit)) {
                        at += 5;
                        return unit;
                    }
                }
            }
            throw refused("unknown escape '\\" + c + "'");
        }
    }
}
