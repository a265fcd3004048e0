package io.hexbus.outbox.faults;

import io.hexbus.api.handling.DomainEventsProcessor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the workers' handlers ran: per subscription, how many times each event id ran, and per ordering key the
 * numbers in the order they ran. Thread-safe: the workers' slots record concurrently.
 */
final class Handled {

    /** The subscriptions {@link #register} registers on {@link ShipmentDue}. */
    static final List<String> SUBSCRIPTIONS = List.of("ship", "bill");

    private final Map<String, Map<UUID, AtomicInteger>> runs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<Long>>> orderOfKey = new ConcurrentHashMap<>();

    Handled() {
        for (String subscription : SUBSCRIPTIONS) {
            runs.put(subscription, new ConcurrentHashMap<>());
            orderOfKey.put(subscription, new ConcurrentHashMap<>());
        }
    }

    /** Registers one handler per subscription that records each run. */
    void register(DomainEventsProcessor processor) {
        for (String subscription : SUBSCRIPTIONS) {
            processor.register(ShipmentDue.class, subscription, (ShipmentDue e) -> {
                runs.get(subscription).computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet();
                List<Long> order = orderOfKey.get(subscription).computeIfAbsent(e.key(), key -> new ArrayList<>());
                synchronized (order) {
                    order.add(e.number());
                }
            });
        }
    }

    /** @return the ids every subscription ran at least once */
    Set<UUID> handledByAll() {
        Set<UUID> all = new HashSet<>(runs.get(SUBSCRIPTIONS.get(0)).keySet());
        SUBSCRIPTIONS.forEach(s -> all.retainAll(runs.get(s).keySet()));
        return all;
    }

    /** @return the ids any subscription ran */
    Set<UUID> handledByAny() {
        Set<UUID> any = new HashSet<>();
        SUBSCRIPTIONS.forEach(s -> any.addAll(runs.get(s).keySet()));
        return any;
    }

    /** @return per subscription, the runs beyond one per event */
    Map<String, Integer> reRuns() {
        Map<String, Integer> again = new LinkedHashMap<>();
        SUBSCRIPTIONS.forEach(s -> again.put(s, runs.get(s).values().stream().mapToInt(c -> c.get() - 1).sum()));
        return again;
    }

    /** @return per subscription, the events it ran */
    Map<String, Integer> perSubscription() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        SUBSCRIPTIONS.forEach(s -> counts.put(s, runs.get(s).size()));
        return counts;
    }

    /**
     * @param subscription a subscription
     * @return per key, the numbers of its events in the order the subscription ran them
     */
    Map<String, List<Long>> orderOfKeys(String subscription) {
        Map<String, List<Long>> copy = new LinkedHashMap<>();
        orderOfKey.get(subscription).forEach((key, order) -> {
            synchronized (order) {
                copy.put(key, List.copyOf(order));
            }
        });
        return copy;
    }

    /**
     * @param ids ids that must not have run
     * @return how many of them some subscription ran
     */
    long ranAnyOf(Collection<UUID> ids) {
        Set<UUID> any = handledByAny();
        return ids.stream().filter(any::contains).count();
    }

    @Override
    public String toString() {
        return "handled per subscription " + perSubscription() + ", re-runs " + reRuns();
    }
}
