package io.hexbus.engine.reference;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** A backend that passes every call to the reference one; a test overrides the calls it breaks or watches. */
class ForwardingBackend implements QueueBackend {

    final ReferenceBackend delegate;

    ForwardingBackend(ReferenceBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public void open() {
        delegate.open();
    }

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        return delegate.fetch(max, block);
    }

    @Override
    public void releaseDue() {
        delegate.releaseDue();
    }

    @Override
    public List<Delivery> claimDue(int max) {
        return delegate.claimDue(max);
    }

    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        return delegate.reclaimAbandoned(max, held);
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        return delegate.renew(held);
    }

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        return delegate.acknowledge(new ArrayList<>(done));
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failed) {
        return delegate.reschedule(delivery, update, delayMillis, failed);
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        return delegate.deadLetter(delivery, record);
    }

    @Override
    public boolean supportsRateLimits() {
        return delegate.supportsRateLimits();
    }

    @Override
    public long acquirePermit(String subscription, RateLimit limit) {
        return delegate.acquirePermit(subscription, limit);
    }

    @Override
    public String brokerName() {
        return delegate.brokerName();
    }

    @Override
    public void reportRunning(List<String> runningIds) {
        delegate.reportRunning(runningIds);
    }

    @Override
    public void reportActivity(SubscriptionActivity activity) {
        delegate.reportActivity(activity);
    }

    @Override
    public void reportRunning(int running) {
        delegate.reportRunning(running);
    }

    @Override
    public void housekeeping() {
        delegate.housekeeping();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
