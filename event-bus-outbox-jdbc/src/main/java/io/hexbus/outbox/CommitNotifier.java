package io.hexbus.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * Wakes the relays after publishing units commit: one {@code NOTIFY} on a connection of its own for any number of
 * commits since the last one, from a thread of its own.
 *
 * <p>Why not in the unit's transaction: PostgreSQL serialises the commits of every transaction that notifies (one
 * lock on the notification queue, held through the commit's WAL flush), which halved the commits per second of 4
 * threads here (docs/benchmarks.md, "Outbox"). Sent after the commits it covers, a notification never wakes a relay
 * before the rows are visible; a commit whose notification is lost (the process dies, the database is unreachable) is
 * found by the relays' polling.
 *
 * <p>Thread-safety: thread-safe; {@link #committed} never blocks. The thread starts with the first commit.
 */
final class CommitNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommitNotifier.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final String payload;
    private Thread thread; // guarded by this
    private boolean pending; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param dataSource where its connections come from
     * @param payload    the notifications' payload (relays ignore it; it tells one bus's notifications from another's)
     */
    CommitNotifier(DataSource dataSource, String payload) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** A publishing unit committed: a notification goes soon, after this call. */
    synchronized void committed() {
        if (closed) {
            return;
        }
        pending = true;
        if (thread == null) {
            thread = new Thread(this::loop, "hexbus-outbox-notify");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                while (!pending && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                pending = false; // commits from now on need another notification
            }
            try {
                notifyRelays();
            } catch (SQLException | RuntimeException e) {
                log.debug("Could not notify the outbox's relays ({}); they poll, and the next commit notifies", e
                        .toString());
                synchronized (this) {
                    try {
                        wait(RETRY.toMillis()); // not a tight loop while the database is down
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    private void notifyRelays() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            notify.setString(1, OutboxEventBus.NOTIFY_CHANNEL);
            notify.setString(2, payload);
            notify.execute();
        }
    }

    /** Stops the thread; what was not sent yet is left to the relays' polling. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
            notifyAll();
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
