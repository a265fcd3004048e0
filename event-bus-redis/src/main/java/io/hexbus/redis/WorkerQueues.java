package io.hexbus.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The named queues one worker consumes, in which order, and with how many handler slots: a worker per set of queues
 * is how a queue gets a concurrency of its own (one worker with 2 slots for {@code export}, one with 8 for
 * {@code mail}). Immutable; see {@link RedisTransport#startWorker(WorkerQueues)}.
 *
 * <ul>
 *   <li>{@link Priority#STRICT}: every read takes from the first queue in the list that has something, so a later
 *       queue is read only while every earlier one is empty.</li>
 *   <li>{@link Priority#WEIGHTED}: every read tries the queues in a random order in which each queue comes first with
 *       the probability of its weight over the sum of the weights (as Asynq does), so no queue starves.</li>
 * </ul>
 *
 * @param priority    how the queues are ordered for each read
 * @param queues      the queue names, at least one, each once
 * @param weights     each queue's weight, at least 1, in the order of {@code queues}; all 1 when strict
 * @param concurrency handlers this worker runs at once, at least 1
 */
public record WorkerQueues(Priority priority, List<String> queues, List<Integer> weights, int concurrency) {

    /** How a worker over several queues orders them for each read. */
    public enum Priority {
        /** Always the first queue in the list that has something. */
        STRICT,
        /** A weighted random order for every read. */
        WEIGHTED
    }

    /**
     * Checks the components.
     *
     * @param priority    how the queues are ordered for each read
     * @param queues      the queue names
     * @param weights     each queue's weight
     * @param concurrency handlers run at once
     * @throws IllegalArgumentException naming what is wrong: no queue, a queue twice, a name not allowed, a weight
     *                                  or concurrency below 1, weights not one per queue
     */
    public WorkerQueues {
        Objects.requireNonNull(priority, "priority");
        queues = List.copyOf(queues);
        weights = List.copyOf(weights);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a worker consumes at least one queue");
        }
        Set<String> seen = new HashSet<>();
        for (String queue : queues) {
            QueueNames.check(queue);
            if (!seen.add(queue)) {
                throw new IllegalArgumentException("queue '" + queue + "' is listed twice for one worker");
            }
        }
        if (weights.size() != queues.size()) {
            throw new IllegalArgumentException("one weight per queue: " + queues + " has " + weights.size());
        }
        for (int i = 0; i < weights.size(); i++) {
            if (weights.get(i) < 1) {
                throw new IllegalArgumentException("the weight of queue '" + queues.get(i) + "' must be at least 1,"
                        + " got " + weights.get(i));
            }
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
    }

    /**
     * @param queues      the queues, highest priority first
     * @param concurrency handlers run at once
     * @return a worker set that always reads the first queue that has something
     */
    public static WorkerQueues strict(List<String> queues, int concurrency) {
        return new WorkerQueues(Priority.STRICT, queues, queues.stream().map(q -> 1).toList(), concurrency);
    }

    /**
     * @param weights     each queue's weight, in the map's iteration order (use a {@link LinkedHashMap} for a
     *                    stable {@link #queues()} order)
     * @param concurrency handlers run at once
     * @return a worker set that reads the queues in a weighted random order
     */
    public static WorkerQueues weighted(Map<String, Integer> weights, int concurrency) {
        return new WorkerQueues(Priority.WEIGHTED, new ArrayList<>(weights.keySet()), new ArrayList<>(weights.values()),
                concurrency);
    }

    /**
     * @param queues      the queues
     * @param concurrency handlers run at once
     * @return a worker set that reads every one of them with equal weight
     */
    public static WorkerQueues equal(List<String> queues, int concurrency) {
        return new WorkerQueues(Priority.WEIGHTED, queues, queues.stream().map(q -> 1).toList(), concurrency);
    }

    /**
     * @param value handlers run at once
     * @return a copy with it
     */
    public WorkerQueues withConcurrency(int value) {
        return new WorkerQueues(priority, queues, weights, value);
    }

    /**
     * The order in which one read tries the queues: the list itself when strict; when weighted, queues drawn one
     * after the other without replacement, each with the probability of its weight among those left.
     *
     * @param random the source of the draw (seeded in tests); unused when strict
     * @return every queue once
     */
    public List<String> readOrder(Random random) {
        if (priority == Priority.STRICT || queues.size() == 1) {
            return queues;
        }
        List<String> left = new ArrayList<>(queues);
        List<Integer> leftWeights = new ArrayList<>(weights);
        int total = leftWeights.stream().mapToInt(Integer::intValue).sum();
        List<String> order = new ArrayList<>(queues.size());
        while (!left.isEmpty()) {
            int draw = random.nextInt(total);
            int i = 0;
            while (draw >= leftWeights.get(i)) {
                draw -= leftWeights.get(i);
                i++;
            }
            order.add(left.remove(i));
            total -= leftWeights.remove(i);
        }
        return order;
    }

    /**
     * @return the queues with their weights, in order, for logs
     */
    public String describe() {
        if (priority == Priority.STRICT) {
            return "strict " + String.join(" > ", queues);
        }
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (int i = 0; i < queues.size(); i++) {
            shown.put(queues.get(i), weights.get(i));
        }
        return "weighted " + shown;
    }
}
