package io.hexbus.app;

import java.util.Locale;
import java.util.Map;

/**
 * What this process does, read once at start from {@code HEXBUS_MODE}.
 */
enum Mode {
    /** The producer side: runs the sample tour (publishes its events) once, then exits. */
    API,
    /** The consumer side: runs Redis workers until SIGINT or SIGTERM. Needs the queue. */
    WORKER,
    /** Both in one process: the default. In memory it runs the tour and exits; on the queue it keeps consuming. */
    ALL;

    static final String VARIABLE = "HEXBUS_MODE";

    /**
     * @param configuration the merged configuration
     * @return the mode; {@link #ALL} when the variable is unset or blank
     * @throws IllegalArgumentException naming the variable, its value and the allowed values
     */
    static Mode from(Map<String, String> configuration) {
        String value = configuration.getOrDefault(VARIABLE, "").trim();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "all" -> ALL;
            case "api" -> API;
            case "worker" -> WORKER;
            default -> throw new IllegalArgumentException(VARIABLE + "='" + value + "' is not allowed: use api"
                    + " (publish only), worker (consume only, with USE_QUEUE_EVENT_BUS=true) or all (both, the"
                    + " default)");
        };
    }

    /**
     * @return the value as written in {@code HEXBUS_MODE}
     */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
