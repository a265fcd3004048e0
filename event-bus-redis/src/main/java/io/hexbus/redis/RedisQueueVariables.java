package io.hexbus.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the named-queue variables of the Redis transport, as {@link RedisConnectionSettings#fromEnvironment} reads
 * the connection's: {@value #ROUTES} and {@value #WORKERS}. Pure functions; a bad value is refused with an
 * {@link IllegalArgumentException} naming the variable, the part that is wrong and the syntax. See docs/running.md.
 */
public final class RedisQueueVariables {

    /** Event name to named queue: {@code name=queue,name=queue}, or {@code none}. */
    public static final String ROUTES = "HEXBUS_QUEUE_ROUTES";
    /**
     * This process's workers, separated by {@code ;}, each {@code queues:slots} (slots optional): {@code mail} one
     * queue, {@code high>low} strict priority, {@code mail=3,default=1} weighted, {@code mail,default} equal weights.
     */
    public static final String WORKERS = "HEXBUS_WORKERS";

    private static final String ROUTES_SYNTAX = "use event-name=queue pairs separated by commas, like"
            + " billing.invoice-mail-requested=mail,reports.export-requested=export, or none";
    private static final String WORKERS_SYNTAX = "use worker sets separated by ';', each queues[:slots] where queues"
            + " is one queue (mail), a strict order (high>low), weights (mail=3,default=1) or equal weights"
            + " (mail,default), like mail:8;export:2";

    private RedisQueueVariables() {
    }

    /**
     * @param value the variable's value, trimmed; {@code none} for no routes
     * @return event name to queue, in the order written
     * @throws IllegalArgumentException naming the pair that is wrong: not {@code name=queue}, a queue name not
     *                                  allowed, or an event name routed twice
     */
    public static Map<String, String> routes(String value) {
        Map<String, String> routes = new LinkedHashMap<>();
        if (value.equals("none")) {
            return routes;
        }
        for (String pair : value.split(",", -1)) {
            String[] parts = pair.split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw refused(ROUTES, value, "'" + pair.trim() + "' is not event-name=queue", ROUTES_SYNTAX);
            }
            String name = parts[0].trim();
            String queue = queue(ROUTES, value, parts[1].trim(), ROUTES_SYNTAX);
            if (routes.put(name, queue) != null) {
                throw refused(ROUTES, value, "event name '" + name + "' is routed twice", ROUTES_SYNTAX);
            }
        }
        return routes;
    }

    /**
     * @param value              the variable's value, trimmed
     * @param queues             the queues the routes configure ({@code default} and the routed ones)
     * @param defaultConcurrency the slots of a worker set that names none
     * @return one worker set per {@code ;}-separated part, in order
     * @throws IllegalArgumentException naming the part that is wrong: bad syntax, slots not from 1 to 1,000, a queue
     *                                  name not allowed or not among {@code queues}, a weight not from 1 to 1,000
     */
    public static List<WorkerQueues> workers(String value, List<String> queues, int defaultConcurrency) {
        List<WorkerQueues> workers = new ArrayList<>();
        for (String part : value.split(";", -1)) {
            String set = part.trim();
            int colon = set.lastIndexOf(':');
            String names = colon < 0 ? set : set.substring(0, colon).trim();
            int slots = colon < 0 ? defaultConcurrency : number(set.substring(colon + 1).trim(), value,
                    "the slots of '" + set + "'");
            if (names.isEmpty()) {
                throw refused(WORKERS, value, "'" + set + "' names no queue", WORKERS_SYNTAX);
            }
            try {
                workers.add(workerSet(names, value, queues, slots));
            } catch (IllegalArgumentException invalid) {
                if (invalid.getMessage().startsWith(WORKERS)) {
                    throw invalid;
                }
                throw refused(WORKERS, value, invalid.getMessage(), WORKERS_SYNTAX);
            }
        }
        return workers;
    }

    private static WorkerQueues workerSet(String names, String value, List<String> queues, int slots) {
        if (names.contains(">")) {
            if (names.contains(",") || names.contains("=")) {
                throw refused(WORKERS, value, "'" + names + "' mixes a strict order with weights", WORKERS_SYNTAX);
            }
            List<String> strict = new ArrayList<>();
            for (String name : names.split(">", -1)) {
                strict.add(known(value, name.trim(), queues));
            }
            return WorkerQueues.strict(strict, slots);
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String entry : names.split(",", -1)) {
            String[] parts = entry.split("=", -1);
            if (parts.length > 2) {
                throw refused(WORKERS, value, "'" + entry.trim() + "' is not queue or queue=weight", WORKERS_SYNTAX);
            }
            String queue = known(value, parts[0].trim(), queues);
            int weight = parts.length == 2 ? number(parts[1].trim(), value, "the weight of '" + queue + "'") : 1;
            if (weights.put(queue, weight) != null) {
                throw refused(WORKERS, value, "queue '" + queue + "' is listed twice in one worker set",
                        WORKERS_SYNTAX);
            }
        }
        return WorkerQueues.weighted(weights, slots);
    }

    private static String known(String value, String name, List<String> queues) {
        String queue = queue(WORKERS, value, name, WORKERS_SYNTAX);
        if (!queues.contains(queue)) {
            throw refused(WORKERS, value, "queue '" + queue + "' has no event routed to it (queues: " + queues
                    + "; route events with " + ROUTES + ")", WORKERS_SYNTAX);
        }
        return queue;
    }

    private static String queue(String variable, String value, String name, String syntax) {
        try {
            return QueueNames.check(name);
        } catch (IllegalArgumentException invalid) {
            throw refused(variable, value, invalid.getMessage(), syntax);
        }
    }

    private static int number(String text, String value, String what) {
        try {
            int number = Integer.parseInt(text);
            if (number >= 1 && number <= 1_000 && Character.isDigit(text.charAt(0))) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw refused(WORKERS, value, what + " must be a whole number from 1 to 1000, not '" + text + "'",
                WORKERS_SYNTAX);
    }

    private static IllegalArgumentException refused(String variable, String value, String what, String syntax) {
        return new IllegalArgumentException(variable + "='" + value + "' is not allowed: " + what + "; " + syntax);
    }
}
