package io.hexbus.spring.boot;

import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a property is checked and mapped, so that each refuses a bad value the same way: an
 * {@link IllegalArgumentException} naming the property and its value (never a password). Pure functions.
 */
final class PropertyChecks {

    private PropertyChecks() {
    }

    static void range(String property, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(property + "=" + value + " is not allowed: use " + min + " to " + max);
        }
    }

    static void positive(String property, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(property + "=" + value + " is not allowed: use a duration above 0");
        }
    }

    /**
     * Applies a value to a transport's settings, naming the property when the transport refuses it.
     *
     * @param property the property
     * @param value    its value, or null when unset (then {@code settings} is returned as it is)
     * @param settings the settings so far
     * @param apply    what sets it, such as {@code value -> settings.withKeyPrefix(value)}
     * @param <V>      the value's type
     * @param <S>      the settings' type
     * @return the settings with the value
     * @throws IllegalArgumentException naming the property and the transport's reason
     */
    static <V, S> S apply(String property, V value, S settings, Function<V, S> apply) {
        if (value == null) {
            return settings;
        }
        try {
            return apply.apply(value);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(property + " is not allowed: " + refused.getMessage(), refused);
        }
    }

    /**
     * @param environment the context's environment
     * @param names       the Guice app's variable names a transport reads
     * @return those that are set, by name
     */
    static Map<String, String> variables(Environment environment, Set<String> names) {
        Map<String, String> values = new HashMap<>();
        names.forEach(name -> {
            String value = environment.getProperty(name);
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    /**
     * @param properties  {@code hexbus.*}
     * @param environment the context's environment
     * @return the consumer group: {@code hexbus.group}, else {@code spring.application.name}, else {@code hexbus}
     */
    static String group(HexbusProperties properties, Environment environment) {
        return properties.group() != null ? properties.group().trim()
                : environment.getProperty("spring.application.name", "hexbus").trim();
    }
}
