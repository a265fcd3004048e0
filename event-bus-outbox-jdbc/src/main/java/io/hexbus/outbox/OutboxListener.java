package io.hexbus.outbox;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The relay's wake-up: a connection of its own that {@code LISTEN}s on the outbox's channel, which publishers notify
 * when they commit. Notifications collapse: one is enough to drain everything waiting. A lost connection is opened
 * again with backoff; meanwhile {@link #await} times out at the poll interval, so the relay keeps polling.
 *
 * <p>Used by the relay's thread only.
 */
final class OutboxListener implements AutoCloseable {

    /** The channel publishers notify after inserting rows. */
    static final String CHANNEL = OutboxEventBus.NOTIFY_CHANNEL;

    private static final Logger log = LoggerFactory.getLogger(OutboxListener.class);
    // How long one wait on the socket lasts at most, so that close() is seen soon: a read is not interruptible.
    private static final long SLICE_MILLIS = 200;

    private final DataSource dataSource;
    private final OutboxRelaySettings settings;
    private final CountDownLatch stop;
    private Connection connection;
    private PGConnection listening;
    private int openFailures;
    private long nextOpenNanos = System.nanoTime();

    OutboxListener(DataSource dataSource, OutboxRelaySettings settings, CountDownLatch stop) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.stop = stop;
    }

    /**
     * Waits for a notification, the timeout, or the stop. Blocks the caller at most {@code timeout}.
     *
     * @param timeout the longest wait: the poll interval
     * @return true if a notification came, or the connection was (re)opened (a notification may have been missed
     *         while it was down): look at once
     */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stop.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (listening == null && System.nanoTime() - nextOpenNanos >= 0 && open()) {
                return true;
            }
            if (listening == null) {
                stop.await(Math.min(left, Math.max(0, nextOpenNanos - System.nanoTime())), TimeUnit.NANOSECONDS);
                continue;
            }
            try {
                int millis = (int) Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
                PGNotification[] notifications = listening.getNotifications(millis);
                if (notifications != null && notifications.length > 0) {
                    return true;
                }
            } catch (SQLException e) {
                lost(e);
            }
        }
        return false;
    }

    /** Opens the listening connection if it is not: before the first pass, so that no commit after it is missed. */
    void listen() {
        if (listening == null) {
            open();
        }
    }

    private boolean open() {
        Connection opened = null;
        try {
            opened = dataSource.getConnection();
            opened.setAutoCommit(true); // a notification is delivered between transactions only
            try (Statement statement = opened.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
            listening = opened.unwrap(PGConnection.class);
            connection = opened;
            if (openFailures > 0) {
                log.info("Relay listens for outbox notifications again after {} failed attempt(s)", openFailures);
            }
            openFailures = 0;
            return true;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(opened);
            lost(e);
            return false;
        }
    }

    private void lost(Exception e) {
        closeQuietly(connection);
        connection = null;
        listening = null;
        openFailures++;
        nextOpenNanos = System.nanoTime() + Backoff.after(openFailures, settings.minBackoff(), settings.maxBackoff())
                .toNanos();
        if (openFailures == 1) { // once per outage: the relay polls meanwhile, so nothing is missed
            log.warn("Relay cannot listen for outbox notifications, polling every {} until it can: {}",
                    settings.pollInterval(), e.toString());
        } else {
            log.debug("Relay still cannot listen for outbox notifications: {}", e.toString());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing the listening connection failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
        connection = null;
        listening = null;
    }
}
