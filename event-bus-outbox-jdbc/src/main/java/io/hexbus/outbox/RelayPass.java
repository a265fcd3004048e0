package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.codec.DecodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.codec.MalformedEventException;
import io.hexbus.codec.NewerEventVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One pass of the relay, in one transaction: lock a batch of due waiting rows, keep those whose key is not held back
 * ({@link KeyOrder}), decode them, forward them with one {@code publishAll}, mark them sent, commit. Rows that can
 * never go are marked dead and stop holding their key; a transient failure rolls everything back and puts the rows
 * tried off until their backoff is over.
 */
final class RelayPass {

    private static final Logger log = LoggerFactory.getLogger(RelayPass.class);

    /**
     * The batch: due waiting rows in seq order (hexbus_outbox_waiting), skipping those another relay holds and those
     * behind an earlier row of their key that is not yet due (hexbus_outbox_retrying_key): such a row could not go
     * before that one, and a key with a batch's worth of them would fill every batch and hold back every other key.
     */
    static final String LOCK_BATCH = "SELECT o.seq, o.event_id, o.ordering_key, o.envelope FROM hexbus_outbox o"
            + " WHERE o.sent_at IS NULL AND o.dead_at IS NULL"
            + " AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= now())"
            + " AND NOT EXISTS (SELECT 1 FROM hexbus_outbox r WHERE r.ordering_key = o.ordering_key AND r.seq < o.seq"
            + " AND r.next_attempt_at IS NOT NULL AND r.sent_at IS NULL AND r.dead_at IS NULL"
            + " AND r.next_attempt_at > now())"
            + " ORDER BY o.seq LIMIT ? FOR UPDATE OF o SKIP LOCKED";
    /**
     * Per key of the batch, its waiting rows below the batch's last row of that key, locked or not, due or not: one
     * probe of hexbus_outbox_waiting_key per key. Not {@code ordering_key = ANY(?) AND seq <= ?}: for that shape the
     * server's generic plan (a statement prepared after five runs) reads every waiting row below the bound through
     * hexbus_outbox_waiting instead, which after an outage is the whole backlog in retry.
     */
    static final String WAITING_OF_KEYS = "SELECT w.ordering_key, w.seq FROM unnest(?::text[], ?::bigint[])"
            + " AS k(ordering_key, below) CROSS JOIN LATERAL (SELECT o.ordering_key, o.seq FROM hexbus_outbox o"
            + " WHERE o.sent_at IS NULL AND o.dead_at IS NULL AND o.ordering_key = k.ordering_key"
            + " AND o.seq < k.below) w";
    private static final String MARK_SENT = "UPDATE hexbus_outbox SET sent_at = now() WHERE seq = ANY(?)";
    private static final String MARK_DEAD = "UPDATE hexbus_outbox SET dead_at = now(), last_error = ? WHERE seq = ?";
    // Not a failed attempt (NewerEventVersionException's contract): no attempt counted, only a later look.
    private static final String DEFER = "UPDATE hexbus_outbox SET last_error = ?,"
            + " next_attempt_at = now() + make_interval(secs => ?) WHERE seq = ?";
    // Backoff.after(attempts + 1) in SQL: attempts on the right is the count before this failure.
    private static final String RETRY_LATER = "UPDATE hexbus_outbox SET attempts = attempts + 1, last_error = ?,"
            + " next_attempt_at = now()"
            + " + make_interval(secs => least(?::float8, ?::float8 * power(2, least(attempts, 40))))"
            + " WHERE seq = ANY(?) AND sent_at IS NULL AND dead_at IS NULL";
    private static final int MAX_REASON_LENGTH = 2_000;

    private final DataSource dataSource;
    private final EventCodec codec;
    private final Forwarder forwarder;
    private final OutboxRelaySettings settings;
    private final DomainEventsProcessor tracedBy; // null: the target's tracing is not told of first publishes

    RelayPass(DataSource dataSource, EventCodec codec, Forwarder forwarder, OutboxRelaySettings settings,
              DomainEventsProcessor tracedBy) {
        this.tracedBy = tracedBy;
        this.dataSource = dataSource;
        this.codec = codec;
        this.forwarder = forwarder;
        this.settings = settings;
    }

    /**
     * What a pass did.
     *
     * @param locked    rows in its batch
     * @param forwarded rows forwarded and marked sent
     * @param dead      rows marked dead
     * @param deferred  rows of a newer event version, put off until code that reads them may run
     */
    record Result(int locked, int forwarded, int dead, int deferred) {

        /** @return whether it moved anything on: a pass that did not would find the same batch again */
        boolean progressed() {
            return forwarded + dead + deferred > 0;
        }
    }

    /** A pass that failed for a reason that may pass: everything it did was rolled back. */
    static final class FailedException extends Exception {

        private static final long serialVersionUID = 1L;

        FailedException(Exception cause) {
            super(reason(cause), cause);
        }
    }

    /**
     * Runs a pass. Blocks on the database and the target.
     *
     * @return what it did
     * @throws FailedException if the database or the target failed; the rows it tried wait for their backoff
     */
    Result run() throws FailedException {
        List<Long> tried = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Result result = pass(connection, tried);
                connection.commit();
                return result;
            } catch (Exception e) { // also a checked exception a target threw undeclared: retried, never lost
                rollBack(connection, e);
                throw e;
            }
        } catch (Exception e) {
            retryLater(tried, e);
            throw new FailedException(e);
        }
    }

    private Result pass(Connection connection, List<Long> tried) throws SQLException {
        List<OutboxRow> batch = lockBatch(connection);
        if (batch.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        Map<String, List<Long>> waiting = waitingOf(connection, batch);
        List<OutboxRow> decodedRows = new ArrayList<>();
        Map<Long, DomainEvent> events = new HashMap<>();
        Map<UUID, TraceContext> traces = new HashMap<>();
        Map<Long, String> dead = new LinkedHashMap<>();
        Map<Long, String> deferred = new LinkedHashMap<>();
        for (OutboxRow row : KeyOrder.forwardable(batch, waiting)) {
            try {
                DecodedEvent read = codec.read(row.envelope());
                events.put(row.seq(), read.event());
                read.trace().ifPresent(trace -> traces.put(read.event().eventId(), trace));
                decodedRows.add(row);
            } catch (NewerEventVersionException e) {
                deferred.put(row.seq(), e.getMessage());
            } catch (MalformedEventException e) {
                log.warn("Outbox row {} (event {}) does not decode and is dead: {}", row.seq(), row.eventId(),
                        e.summary());
                dead.put(row.seq(), "does not decode: " + e.getMessage());
            } catch (RuntimeException e) { // decoding is pure: what fails now fails every time
                log.warn("Outbox row {} (event {}) does not decode and is dead: {}", row.seq(), row.eventId(),
                        e.toString());
                dead.put(row.seq(), "does not decode: " + e);
            }
        }
        // A dead row no longer holds its key; a deferred one still does, and so holds the rows behind it.
        List<OutboxRow> going = dead.isEmpty() && deferred.isEmpty() ? decodedRows
                : KeyOrder.forwardable(decodedRows, without(waiting, dead.keySet()));
        going.forEach(row -> tried.add(row.seq()));
        List<DomainEvent> goingEvents = going.stream().map(row -> events.get(row.seq())).toList();
        // The trace context each row was written with stands for the relay's own, so handlers join the first trace.
        Forwarder.Outcome outcome = tracedBy == null || traces.isEmpty() ? forwarder.forward(going, goingEvents)
                : tracedBy.republishing(traces, () -> forwarder.forward(going, goingEvents));
        outcome.refused().forEach((seq, reason) -> log.warn("Outbox row {} is refused by the target and is dead: {}",
                seq, reason));
        dead.putAll(outcome.refused());
        markDead(connection, dead);
        defer(connection, deferred);
        markSent(connection, outcome.sent());
        return new Result(batch.size(), outcome.sent().size(), dead.size(), deferred.size());
    }

    private List<OutboxRow> lockBatch(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LOCK_BATCH)) {
            select.setInt(1, settings.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                List<OutboxRow> batch = new ArrayList<>();
                while (rows.next()) {
                    batch.add(new OutboxRow(rows.getLong(1), rows.getObject(2, UUID.class), rows.getString(3),
                            rows.getString(4)));
                }
                return batch;
            }
        }
    }

    private static Map<String, List<Long>> waitingOf(Connection connection, List<OutboxRow> batch)
            throws SQLException {
        Map<String, Long> lastOfKey = new LinkedHashMap<>();
        batch.forEach(row -> lastOfKey.put(row.orderingKey(), row.seq())); // in seq order: the last one stays
        Map<String, List<Long>> waiting = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(WAITING_OF_KEYS)) {
            select.setArray(1, connection.createArrayOf("text", lastOfKey.keySet().toArray()));
            select.setArray(2, connection.createArrayOf("bigint", lastOfKey.values().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    waiting.computeIfAbsent(rows.getString(1), key -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
        }
        return waiting;
    }

    private static Map<String, List<Long>> without(Map<String, List<Long>> waiting, Set<Long> seqs) {
        Map<String, List<Long>> left = new HashMap<>();
        waiting.forEach((key, list) -> left.put(key, list.stream().filter(seq -> !seqs.contains(seq)).toList()));
        return left;
    }

    private static void markSent(Connection connection, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(MARK_SENT)) {
            update.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            update.executeUpdate();
        }
    }

    private static void markDead(Connection connection, Map<Long, String> dead) throws SQLException {
        if (dead.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(MARK_DEAD)) {
            for (Map.Entry<Long, String> row : dead.entrySet()) {
                update.setString(1, bounded(row.getValue()));
                update.setLong(2, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private void defer(Connection connection, Map<Long, String> deferred) throws SQLException {
        if (deferred.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(DEFER)) {
            for (Map.Entry<Long, String> row : deferred.entrySet()) {
                update.setString(1, bounded(row.getValue()));
                update.setDouble(2, seconds(settings.maxBackoff().toMillis()));
                update.setLong(3, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** In a transaction of its own, after the pass's rolled back: its rows wait for their backoff, and say why. */
    private void retryLater(List<Long> seqs, Exception cause) {
        if (seqs.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(RETRY_LATER)) {
            connection.setAutoCommit(true);
            update.setString(1, bounded(reason(cause)));
            update.setDouble(2, seconds(settings.maxBackoff().toMillis()));
            update.setDouble(3, seconds(settings.minBackoff().toMillis()));
            update.setArray(4, connection.createArrayOf("bigint", seqs.toArray()));
            update.executeUpdate();
        } catch (SQLException e) { // the database is down too: the rows are retried at the next pass all the same
            cause.addSuppressed(e);
        }
    }

    private static void rollBack(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    static String reason(Throwable cause) {
        String reason = cause.toString();
        Throwable root = cause.getCause();
        if (root != null && root != cause) {
            reason += " (caused by " + root + ")";
        }
        return reason;
    }

    private static String bounded(String reason) {
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "…";
    }
}
