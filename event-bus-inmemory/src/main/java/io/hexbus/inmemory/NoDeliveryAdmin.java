package io.hexbus.inmemory;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The admin of {@link NoDeliveryTransport}: no queue, so no dead letter and nothing waiting. Its
 * {@link QueueStats#unhandled()} is the number of events the transport accepted in this process (duplicates
 * excluded): each is acknowledged without a handler, and each was reported once to
 * {@link io.hexbus.api.handling.DeliveryObserver#unhandled(String)}, so the two counts agree. Checks its arguments as a queue's admin does, so that a caller
 * meets the same refusals on either; once the transport is closed, fails as a closed queue's admin does. Thread-safe.
 */
final class NoDeliveryAdmin implements QueueAdmin {

    private final LongSupplier accepted;
    private final BooleanSupplier closed;

    NoDeliveryAdmin(LongSupplier accepted, BooleanSupplier closed) {
        this.accepted = accepted;
        this.closed = closed;
    }

    @Override
    public QueueStats stats() {
        requireOpen();
        return new QueueStats(NoDeliveryTransport.GROUP, 0, 0, 0, 0, 0, 0, 0, 0, 0, accepted.getAsLong());
    }

    /** No handler runs on this transport: no subscription has anything to report. */
    @Override
    public List<SubscriptionStats> subscriptionStats() {
        requireOpen();
        return List.of();
    }

    /** Nothing is delivered, so no event has progress. */
    @Override
    public Optional<EventProgress> eventProgress(UUID eventId) {
        requireOpen();
        return Optional.empty();
    }

    @Override
    public DeadLetterPage deadLetters(int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        requireOpen();
        return new DeadLetterPage(List.of(), offset, 0);
    }

    @Override
    public Optional<DeadLetter> deadLetter(UUID eventId) {
        requireOpen();
        return Optional.empty();
    }

    @Override
    public boolean retry(UUID eventId) {
        requireOpen();
        return false;
    }

    @Override
    public int retryAll() {
        requireOpen();
        return 0;
    }

    @Override
    public boolean remove(UUID eventId) {
        requireOpen();
        return false;
    }

    @Override
    public int cleanDeadLetters(Duration age) {
        QueueAdmin.checkCleanAge(age);
        requireOpen();
        return 0;
    }

    private void requireOpen() {
        if (closed.getAsBoolean()) {
            throw new TransportUnavailableException("the admin of the " + NoDeliveryTransport.NAME + " transport:"
                    + " the transport is closed", null);
        }
    }
}
