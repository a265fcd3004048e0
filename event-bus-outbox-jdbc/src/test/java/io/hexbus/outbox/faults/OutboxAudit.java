package io.hexbus.outbox.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The verdict of an outbox fault test: every committed event was handled by every subscription, once; nothing was
 * handled that did not commit (a unit that failed at its commit may have committed all the same: {@code inDoubt});
 * and each subscription ran each key's events in the order its units committed them.
 *
 * @param committed ids whose unit of work committed (as the outbox table or the committing code says)
 * @param inDoubt   ids whose unit failed at a point where it may have committed
 * @param handled   what the handlers ran
 */
record OutboxAudit(Set<UUID> committed, Set<UUID> inDoubt, Handled handled) {

    OutboxAudit {
        committed = Set.copyOf(committed);
        inDoubt = Set.copyOf(inDoubt);
    }

    /** @return whether every committed event was handled by every subscription (what a test awaits) */
    boolean complete() {
        return handled.handledByAll().containsAll(committed);
    }

    /**
     * @throws AssertionError naming what was lost, handled without a commit, run twice or out of key order
     */
    void check() {
        List<String> problems = new ArrayList<>();
        Set<UUID> lost = new HashSet<>(committed);
        lost.removeAll(handled.handledByAll());
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " committed events not handled by every subscription, e.g. "
                    + lost.iterator().next());
        }
        Set<UUID> unknown = new HashSet<>(handled.handledByAny());
        unknown.removeAll(committed);
        unknown.removeAll(inDoubt);
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " events handled that never committed, e.g. " + unknown.iterator().next());
        }
        handled.reRuns().forEach((subscription, again) -> {
            if (again > 0) {
                problems.add(subscription + " ran " + again + " events more than once");
            }
        });
        for (String subscription : Handled.SUBSCRIPTIONS) {
            for (Map.Entry<String, List<Long>> key : handled.orderOfKeys(subscription).entrySet()) {
                List<Long> order = key.getValue();
                for (int i = 1; i < order.size(); i++) {
                    if (order.get(i) <= order.get(i - 1)) {
                        problems.add(subscription + " ran key " + key.getKey() + " out of commit order: "
                                + order.get(i) + " after " + order.get(i - 1));
                        break;
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(summary() + "\n  " + String.join("\n  ", problems));
        }
    }

    /** @return the counts, on one line */
    String summary() {
        Set<UUID> inDoubtHandled = new HashSet<>(inDoubt);
        inDoubtHandled.retainAll(handled.handledByAny());
        return "committed " + committed.size() + ", in doubt " + inDoubt.size() + " (" + inDoubtHandled.size()
                + " of them committed after all and handled); " + handled + "; keys "
                + handled.orderOfKeys(Handled.SUBSCRIPTIONS.get(0)).size();
    }

    @Override
    public String toString() {
        return summary();
    }
}
