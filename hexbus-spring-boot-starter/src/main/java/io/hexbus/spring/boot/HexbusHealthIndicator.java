package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The health of the bus, as Boot's health endpoint shows it under {@code hexbus}: the transport, the mode and the
 * workers running; on a queue also the group's counts ({@code waiting}, the lag; {@code active},
 * {@code retryScheduled}, {@code deadLettered}), read through its {@link QueueAdmin}. {@code DOWN} with the error when
 * the broker cannot be asked (stopped, unreachable, too slow: each transport bounds the call), {@code UP} again once it
 * answers. In memory and on {@code none} {@code UP}. With the outbox, {@code outbox} holds its lag ({@code status},
 * {@code waiting}, {@code oldestWaitingAgeSeconds}, {@code dead}, {@code failingSince}); the whole is {@code DOWN}
 * while the outbox cannot forward ({@link HexbusOutboxLag#healthy()}) or cannot be read. Thread-safe; each call may
 * block for one broker call and one database read.
 */
public final class HexbusHealthIndicator implements HealthIndicator {

    private final HexbusTransportSelection selection;
    private final QueueAdmin admin;
    private final HexbusWorkers workers;
    private final Supplier<Optional<HexbusOutboxLag>> outbox;

    /**
     * @param selection the transport and the mode
     * @param admin     the queue's admin, or null in memory
     * @param workers   the workers of this process
     */
    public HexbusHealthIndicator(HexbusTransportSelection selection, QueueAdmin admin, HexbusWorkers workers) {
        this(selection, admin, workers, Optional::empty);
    }

    /**
     * @param selection the transport and the mode
     * @param admin     the queue's admin, or null in memory
     * @param workers   the workers of this process
     * @param outbox    reads the outbox's lag, empty when the application runs no outbox; may throw when the outbox
     *                  cannot be read
     */
    public HexbusHealthIndicator(HexbusTransportSelection selection, QueueAdmin admin, HexbusWorkers workers,
                                 Supplier<Optional<HexbusOutboxLag>> outbox) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.admin = admin;
        this.workers = Objects.requireNonNull(workers, "workers");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("transport", selection.transport().value())
                .withDetail("mode", selection.mode().name().toLowerCase(Locale.ROOT))
                .withDetail("workers", workers.running());
        boolean outboxUp = outbox(health);
        if (admin == null || !selection.transport().isQueue()) {
            return (outboxUp ? health : health.down()).build();
        }
        try {
            QueueStats stats = admin.stats();
            health.withDetail("group", stats.group()).withDetail("waiting", stats.waiting())
                    .withDetail("active", stats.active()).withDetail("retryScheduled", stats.retryScheduled())
                    .withDetail("deadLettered", stats.deadLettered());
            return (outboxUp ? health : health.down()).build();
        } catch (RuntimeException unavailable) {
            // The transports' messages name the broker and never a password.
            return health.down(unavailable).build();
        }
    }

    /** Adds the outbox's lag, if there is an outbox; returns false when it cannot forward or cannot be read. */
    private boolean outbox(Health.Builder health) {
        Map<String, Object> detail = new LinkedHashMap<>();
        boolean up;
        try {
            Optional<HexbusOutboxLag> lag = outbox.get();
            if (lag.isEmpty()) {
                return true;
            }
            up = lag.get().healthy();
            detail.put("status", up ? "UP" : "DOWN");
            detail.put("waiting", lag.get().waiting());
            detail.put("oldestWaitingAgeSeconds", lag.get().oldestWaitingAge().toMillis() / 1000.0);
            detail.put("dead", lag.get().dead());
            detail.put("failingSince", lag.get().failingSince().map(Instant::toString).orElse(null));
        } catch (RuntimeException unreadable) {
            // The outbox's message names the database's failure, never its password.
            up = false;
            detail.put("status", "DOWN");
            detail.put("error", unreadable.getClass().getName() + ": " + unreadable.getMessage());
        }
        health.withDetail("outbox", detail);
        return up;
    }
}
