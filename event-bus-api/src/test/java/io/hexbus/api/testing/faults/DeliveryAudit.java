package io.hexbus.api.testing.faults;

import io.hexbus.api.testing.faults.Runs.Run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The verdict of a fault test over what its publishers and handlers recorded: every event whose publish returned
 * was finished by every subscription; nothing finished that was never published; and no subscription ran on an event
 * after the group had recorded the event done (as the transport's own record says: Kafka's state topic, RabbitMQ's
 * ledger stream), the one re-run the transport promises never to make. Runs of an event not yet recorded done may repeat (a worker killed, or a
 * partition revoked, before it settled them): at least once, counted in the summary.
 *
 * @param acknowledged ids whose publish returned
 * @param uncertain    ids whose publish failed: maybe written, maybe not
 * @param runs         every handler run
 * @param done         ids the group recorded done, with when
 */
public record DeliveryAudit(Set<UUID> acknowledged, Set<UUID> uncertain, Runs runs, Map<UUID, Long> done) {

    /** Copies the collections. */
    public DeliveryAudit {
        acknowledged = Set.copyOf(acknowledged);
        uncertain = Set.copyOf(uncertain);
        done = Map.copyOf(done);
    }

    /** @return whether every acknowledged event was finished by every subscription and recorded done */
    public boolean complete() {
        return done.keySet().containsAll(acknowledged)
                && RunLog.SUBSCRIPTIONS.stream().allMatch(s -> runs.finished(s).containsAll(acknowledged));
    }

    /**
     * @return the runs that repeated a subscription's run on an event and started after the event was recorded done.
     *         Only a repeat counts. A done time is when the test's tail first read the settle, a little after it was
     *         appended: a run starting after it certainly started after the settle, so nothing is reported wrongly,
     *         at the cost of missing a re-run within those few ms.
     */
    public List<Run> runsAfterDone() {
        Map<String, Long> firstStart = runs.all().stream().collect(Collectors.toMap(
                r -> r.subscription() + r.eventId(), Run::startMillis, Math::min));
        return runs.all().stream().filter(r -> done.containsKey(r.eventId()) && r.startMillis() > done.get(r.eventId())
                && r.startMillis() > firstStart.get(r.subscription() + r.eventId())).toList();
    }

    /** @return how many runs there were beyond one per subscription and event */
    public long reRuns() {
        return runs.all().size() - runs.all().stream().map(r -> r.subscription() + r.eventId()).distinct().count();
    }

    /**
     * Checks the verdict.
     *
     * @throws AssertionError naming what was lost, what appeared from nowhere and what ran again once done
     */
    public void check() {
        List<String> problems = new ArrayList<>();
        for (String subscription : RunLog.SUBSCRIPTIONS) {
            Set<UUID> finished = runs.finished(subscription);
            Set<UUID> lost = new HashSet<>(acknowledged);
            lost.removeAll(finished);
            if (!lost.isEmpty()) {
                problems.add(subscription + ": " + lost.size() + " acknowledged events never finished, e.g. "
                        + lost.iterator().next());
            }
            Set<UUID> unknown = new HashSet<>(finished);
            unknown.removeAll(acknowledged);
            unknown.removeAll(uncertain);
            if (!unknown.isEmpty()) {
                problems.add(subscription + ": " + unknown.size() + " events finished that were never published");
            }
        }
        Set<UUID> notDone = new HashSet<>(acknowledged);
        notDone.removeAll(done.keySet());
        if (!notDone.isEmpty()) {
            problems.add(notDone.size() + " acknowledged events not recorded done");
        }
        List<Run> again = runsAfterDone();
        if (!again.isEmpty()) {
            problems.add(again.size() + " runs started after their event was recorded done, e.g. " + again.stream()
                    .limit(5).map(r -> r + " (" + (r.startMillis() - done.get(r.eventId())) + " ms after)")
                    .collect(Collectors.joining(", ")));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(summary() + "\n  " + String.join("\n  ", problems));
        }
    }

    /** @return the counts, on one line */
    public String summary() {
        Map<String, Integer> finished = new LinkedHashMap<>();
        RunLog.SUBSCRIPTIONS.forEach(s -> finished.put(s, runs.finished(s).size()));
        Map<String, Long> perWorker = runs.all().stream().collect(Collectors.groupingBy(Run::worker,
                LinkedHashMap::new, Collectors.counting()));
        return "published " + acknowledged.size() + " acknowledged + " + uncertain.size() + " failed; finished per"
                + " subscription " + finished + "; " + runs.all().size() + " runs " + perWorker + ", "
                + reRuns() + " re-runs, " + runs.cut().size() + " cut short; " + done.size()
                + " recorded done; " + runsAfterDone().size() + " runs after done";
    }

    /** @return {@link #summary()}: a failed wait quotes the counts, not every id */
    @Override
    public String toString() {
        return summary();
    }
}
