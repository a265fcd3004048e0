package io.hexbus.inmemory;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The admin of {@link NoDeliveryTransport}: no queue, so no dead letter and nothing waiting; the events it
 * accepted are reported as {@code unhandled}. Checks its arguments as a queue's admin does, so that a caller
 * meets the same refusals on either. Thread-safe.
 */
final class NoDeliveryAdmin implements QueueAdmin {

    private static final int MAX_PAGE = 1_000;

    private final LongSupplier accepted;

    NoDeliveryAdmin(LongSupplier accepted) {
        this.accepted = accepted;
    }

    @Override
    public QueueStats stats() {
        return new QueueStats(NoDeliveryTransport.GROUP, 0, 0, 0, 0, 0, 0, 0, 0, accepted.getAsLong());
    }

    @Override
    public DeadLetterPage deadLetters(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_PAGE + ", got " + limit);
        }
        return new DeadLetterPage(List.of(), offset, 0);
    }

    @Override
    public Optional<DeadLetter> deadLetter(UUID eventId) {
        return Optional.empty();
    }

    @Override
    public boolean retry(UUID eventId) {
        return false;
    }

    @Override
    public int retryAll() {
        return 0;
    }

    @Override
    public boolean remove(UUID eventId) {
        return false;
    }

    @Override
    public int cleanDeadLetters(Duration age) {
        if (age == null || age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("age must be positive, got " + age);
        }
        return 0;
    }
}
