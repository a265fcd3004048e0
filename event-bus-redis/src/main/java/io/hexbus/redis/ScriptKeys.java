package io.hexbus.redis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many KEYS a script takes. A file named {@code name-N.lua} takes exactly N, and its source must
 * reference {@code KEYS[N]} and no higher {@code KEYS[n]} (its header lists each one). A file without a count,
 * such as {@code publish.lua}, is variadic: it takes at least the keys its source names by number, then any
 * more (it reads them through {@code #KEYS}).
 *
 * @param file     the script's file name, for messages
 * @param count    the exact key count, or the least one if variadic
 * @param variadic whether more keys than {@code count} are allowed
 */
record ScriptKeys(String file, int count, boolean variadic) {

    private static final Pattern FIXED = Pattern.compile(".*-(\\d+)\\.lua");
    private static final Pattern KEY_REFERENCE = Pattern.compile("KEYS\\[(\\d+)]");

    /**
     * The key count of {@code file}, checked against its expanded {@code source}.
     *
     * @throws IllegalStateException if the highest {@code KEYS[n]} in the source is not the count in the name
     */
    static ScriptKeys of(String file, String source) {
        int highest = highestReference(source);
        Matcher fixed = FIXED.matcher(file);
        if (!fixed.matches()) {
            return new ScriptKeys(file, highest, true);
        }
        int count = Integer.parseInt(fixed.group(1));
        if (highest != count) {
            throw new IllegalStateException("script " + file + " takes " + count + " keys by its name, but its "
                    + "highest KEYS[n] is KEYS[" + highest + "]");
        }
        return new ScriptKeys(file, count, false);
    }

    /** The highest n of the {@code KEYS[n]} written with a literal n in a source, 0 if none. */
    static int highestReference(String source) {
        Matcher key = KEY_REFERENCE.matcher(source);
        int highest = 0;
        while (key.find()) {
            highest = Math.max(highest, Integer.parseInt(key.group(1)));
        }
        return highest;
    }

    /**
     * Checks the number of keys of a call.
     *
     * @throws IllegalArgumentException if the script does not take that many keys
     */
    void check(int given) {
        if (variadic ? given < count : given != count) {
            throw new IllegalArgumentException("script " + file + " takes " + (variadic ? "at least " : "")
                    + count + " keys, but was given " + given);
        }
    }
}
