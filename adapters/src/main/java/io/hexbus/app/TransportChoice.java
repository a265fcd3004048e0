package io.hexbus.app;

import java.util.Locale;
import java.util.Map;

/**
 * Which transport carries the events, read once at start from {@code USE_QUEUE_EVENT_BUS}.
 */
enum TransportChoice {
    IN_MEMORY,
    QUEUE;

    static final String VARIABLE = "USE_QUEUE_EVENT_BUS";

    /**
     * @param environment the process environment
     * @return the choice; {@link #IN_MEMORY} when the variable is unset or blank
     * @throws IllegalArgumentException naming the variable, its value and the allowed values
     */
    static TransportChoice from(Map<String, String> environment) {
        String value = environment.getOrDefault(VARIABLE, "").trim();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "false" -> IN_MEMORY;
            case "true" -> QUEUE;
            default -> throw new IllegalArgumentException(VARIABLE + "='" + value
                    + "' is not allowed: use true (a queue, which " + QueueChoice.VARIABLE + " names) or false"
                    + " (in-memory, the default)");
        };
    }
}
