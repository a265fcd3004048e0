package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Locale;
import java.util.Objects;

/**
 * The health of the bus, as Boot's health endpoint shows it under {@code hexbus}: the transport, the mode and the
 * workers running; on a queue also the group's counts ({@code waiting}, the lag; {@code active},
 * {@code retryScheduled}, {@code deadLettered}), read through its {@link QueueAdmin}. {@code DOWN} with the error when
 * the broker cannot be asked (stopped, unreachable, too slow: each transport bounds the call), {@code UP} again once it
 * answers. In memory and on {@code none} always {@code UP}. Thread-safe; each call may block for one broker call.
 */
public final class HexbusHealthIndicator implements HealthIndicator {

    private final HexbusTransportSelection selection;
    private final QueueAdmin admin;
    private final HexbusWorkers workers;

    /**
     * @param selection the transport and the mode
     * @param admin     the queue's admin, or null in memory
     * @param workers   the workers of this process
     */
    public HexbusHealthIndicator(HexbusTransportSelection selection, QueueAdmin admin, HexbusWorkers workers) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.admin = admin;
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("transport", selection.transport().value())
                .withDetail("mode", selection.mode().name().toLowerCase(Locale.ROOT))
                .withDetail("workers", workers.running());
        if (admin == null || !selection.transport().isQueue()) {
            return health.build();
        }
        try {
            QueueStats stats = admin.stats();
            return health.withDetail("group", stats.group()).withDetail("waiting", stats.waiting())
                    .withDetail("active", stats.active()).withDetail("retryScheduled", stats.retryScheduled())
                    .withDetail("deadLettered", stats.deadLettered()).build();
        } catch (RuntimeException unavailable) {
            // The transports' messages name the broker and never a password.
            return health.down(unavailable).build();
        }
    }
}
