package io.hexbus.adapters.guice;

import java.util.Map;

/**
 * How a setting of the environment (or the configuration file) is read, so that every module that reads its own
 * settings refuses a bad value the same way: an {@link IllegalArgumentException} naming the variable, its value
 * and the allowed values. Pure functions.
 */
public final class SettingValues {

    private SettingValues() {
    }

    /**
     * @param config   the merged configuration
     * @param variable the name to read
     * @param fallback the value when it is unset or blank
     * @param min      the smallest allowed value
     * @param max      the largest allowed value
     * @param meaning  what the number is, for the message
     * @return the value, or the fallback
     * @throws IllegalArgumentException if it is not written in digits alone, or not from min to max
     */
    public static int wholeNumber(Map<String, String> config, String variable, int fallback, int min, int max,
                                  String meaning) {
        String text = trimmed(config, variable);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            // Digits only, as REDIS_PORT and REDIS_DB: parseInt also takes a sign ("+4").
            if (value >= min && value <= max && Character.isDigit(text.charAt(0))) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(variable + "='" + text + "' is not allowed: use a whole number from " + min
                + " to " + max + " (" + meaning + "; default " + fallback + ")");
    }

    /**
     * @param config   the merged configuration
     * @param variable the name to read
     * @return its value without surrounding blanks, or null when it is unset or blank
     */
    public static String trimmed(Map<String, String> config, String variable) {
        String value = config.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
