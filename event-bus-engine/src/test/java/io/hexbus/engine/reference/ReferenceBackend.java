package io.hexbus.engine.reference;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One worker's view of a {@link ReferenceQueue}: the reference implementation of the backend SPI, with no broker
 * mechanics in the way. Its leases last {@code lease} from their last renewal; its writes are fenced to the lease
 * of the delivery they name.
 *
 * <p>{@link #crash()} is its kill switch: from then on every call throws {@link TransportUnavailableException}, as
 * a process that died can no longer reach its broker, so its leases lapse for another worker to take over.
 * Thread-safe, as the SPI asks.
 */
final class ReferenceBackend implements QueueBackend {

    private final ReferenceQueue queue;
    private final String worker;
    private final Duration lease;
    private volatile boolean crashed;
    private volatile boolean closed;

    /**
     * @param queue  the broker
     * @param worker this worker's name, unique on the queue: the owner of its leases
     * @param lease  how long a lease lasts unrenewed (the visibility timeout)
     */
    ReferenceBackend(ReferenceQueue queue, String worker, Duration lease) {
        this.queue = queue;
        this.worker = worker;
        this.lease = lease;
    }

    /** @return this worker's name on the queue */
    String worker() {
        return worker;
    }

    /** Cuts this worker off the broker for good, waking its fetch. */
    void crash() {
        crashed = true;
        queue.wakeAll();
    }

    private void reachable() {
        if (crashed) {
            throw new TransportUnavailableException("reference broker: worker " + worker + " is cut off", null);
        }
    }

    @Override
    public void open() {
        reachable();
    }

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        reachable();
        List<Delivery> read = queue.fetch(worker, max, block, lease, () -> crashed || closed);
        reachable(); // a crash while it waited: what it read is never handed over, and lapses
        return read;
    }

    @Override
    public List<Delivery> claimDue(int max) {
        reachable();
        return queue.claimDue(worker, max, lease);
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        reachable();
        return queue.reclaim(worker, max, held, lease);
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        reachable();
        return queue.renew(worker, held, lease);
    }

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        reachable();
        return queue.acknowledge(worker, done);
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts) {
        reachable();
        return queue.reschedule(worker, delivery, update, delayMillis, failedAttempts) ? Fenced.WRITTEN
                : Fenced.LEASE_LOST;
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        reachable();
        return queue.deadLetter(worker, delivery, record) ? Fenced.WRITTEN : Fenced.LEASE_LOST;
    }

    @Override
    public boolean supportsRateLimits() {
        return true;
    }

    @Override
    public long acquirePermit(String subscription, RateLimit limit) {
        reachable();
        return queue.acquirePermit(subscription, limit);
    }

    @Override
    public String brokerName() {
        return "reference";
    }

    @Override
    public void reportActivity(SubscriptionActivity activity) {
        reachable();
        queue.recordActivity(worker, activity);
    }

    @Override
    public void reportRunning(int running) {
        reachable();
        queue.report(worker, running, lease);
    }

    @Override
    public void housekeeping() {
        reachable();
        queue.housekeeping();
    }

    @Override
    public void close() {
        closed = true;
        queue.wakeAll();
    }
}
