package io.hexbus.kafka;

import io.hexbus.engine.backend.Delivery;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The deliveries handed out and not yet with the engine: each waits until the ledger version that lists it is
 * committed ({@link TakeoverLedger}), then goes to {@code fetch}, or, a takeover, to {@code reclaimAbandoned}, which
 * the engine counts and dead-letters past its most takeovers. A partition revoked meanwhile takes its deliveries
 * back ({@link #withdraw}).
 *
 * <p>Thread-safety: {@link #add}, {@link #waiting} and {@link #release} are the fetch thread's; {@link #reclaim} comes
 * from the engine's maintenance thread, {@link #withdraw} from the fetch thread or the closing one; the takeovers
 * are guarded by a lock.
 */
final class HandOuts {

    /**
     * A delivery handed out.
     *
     * @param partition its partition
     * @param offset    its record's offset
     * @param delivery  what goes to the engine
     * @param version   the ledger version that lists it
     * @param takeover  whether it is a takeover
     */
    record Listed(TopicPartition partition, long offset, Delivery delivery, long version, boolean takeover) {
    }

    private final List<Listed> unlisted = new ArrayList<>();
    private final Queue<Listed> takenOver = new ArrayDeque<>(); // guarded by itself

    /** @param listed a delivery handed out, whose listing is not committed yet */
    void add(Listed listed) {
        unlisted.add(listed);
    }

    /** @return how many wait for their listing's commit */
    int waiting() {
        return unlisted.size();
    }

    /**
     * Releases what is listed in a committed ledger: takeovers to {@link #reclaim}, the others returned.
     *
     * @param gone      whether a delivery's assignment ended (dropped: it was withdrawn)
     * @param committed whether a delivery's listing is committed
     * @return the deliveries for {@code fetch}, in the order they were handed out
     */
    List<Delivery> release(Predicate<Listed> gone, Predicate<Listed> committed) {
        List<Delivery> ready = new ArrayList<>();
        Iterator<Listed> it = unlisted.iterator();
        while (it.hasNext()) {
            Listed listed = it.next();
            if (gone.test(listed)) {
                it.remove();
            } else if (committed.test(listed)) {
                it.remove();
                if (listed.takeover()) {
                    synchronized (takenOver) {
                        takenOver.add(listed);
                    }
                } else {
                    ready.add(listed.delivery());
                }
            }
        }
        return ready;
    }

    /**
     * Takes released takeovers for the engine.
     *
     * @param max  at most this many
     * @param held whether this worker still holds a delivery (one it does not is dropped)
     * @param busy whether the engine still holds an earlier delivery of the same record (this worker's own, from
     *             before it got the partition back): such a takeover is kept for a later call, once the engine let
     *             go of the earlier one (its settle refused), else the record would never settle
     * @return the takeovers, in the order they were released
     */
    List<Delivery> reclaim(int max, Predicate<Delivery> held, Predicate<Delivery> busy) {
        List<Delivery> out = new ArrayList<>();
        List<Listed> later = new ArrayList<>();
        synchronized (takenOver) {
            Listed listed;
            while (out.size() < max && (listed = takenOver.poll()) != null) {
                if (!held.test(listed.delivery())) {
                    continue;
                }
                if (busy.test(listed.delivery())) {
                    later.add(listed);
                } else {
                    out.add(listed.delivery());
                }
            }
            takenOver.addAll(later);
        }
        return out;
    }

    /**
     * Takes back what the engine was not given of {@code partitions}.
     *
     * @param partitions partitions being revoked or lost
     * @return the deliveries taken back
     */
    List<Listed> withdraw(Set<TopicPartition> partitions) {
        List<Listed> withdrawn = new ArrayList<>();
        unlisted.removeIf(listed -> partitions.contains(listed.partition()) && withdrawn.add(listed));
        synchronized (takenOver) {
            takenOver.removeIf(listed -> partitions.contains(listed.partition()) && withdrawn.add(listed));
        }
        return withdrawn;
    }
}
