package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.Tracing;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An {@link EventBus} that writes events to the outbox table ({@code hexbus_outbox}, made by {@link OutboxSchema}) in
 * the calling thread's transaction, which its {@link TransactionConnections} supplies (a {@link JdbcUnitOfWork}'s unit,
 * or a framework's transaction): they exist if and only if that transaction commits. Nothing
 * is delivered here: after the commit, the outbox's relay forwards the rows to the transport, whose handlers run.
 *
 * <p><b>Refusals.</b> Every event is checked by the codec before anything is written, as every transport checks it:
 * an unregistered type, an envelope over the size limit, an event that cannot be written as JSON or an invalid
 * ordering key refuses the whole batch with the port's exception, and nothing of it is written.
 *
 * <p><b>Outside a unit of work</b> a call throws {@link NoUnitOfWorkException} and writes nothing (an empty list
 * excepted, a no-op): the outbox has no transaction of its own to write in, and publishing at once would give up the
 * guarantee silently. Wrap the use case in {@link JdbcUnitOfWork#run} (or the framework's transaction).
 *
 * <p><b>Duplicates.</b> An event whose id is already in the table (sent rows are kept for the relay's retention), or
 * repeated in the batch, is {@link PublishOutcome#DUPLICATE} and not written again.
 *
 * <p><b>Order.</b> Before it inserts, a call takes a transaction lock on each ordering key of the batch (not on
 * events keyed by their own id, the default), so that a second unit publishing the same key waits until the first
 * has committed or rolled back: per key, the rows' {@code seq} is their commit order, the relay's forwarding order.
 * The locks are held until the unit ends, so keep units short; a unit that publishes keys in several calls, in
 * different orders than another unit, may meet PostgreSQL's deadlock detection (then an
 * {@link EventPublishingException}): publish a use case's events with one {@code publishAll}.
 *
 * <p><b>Cost.</b> One round trip per call, whatever the batch's size: the locks and one multi-row insert go as one
 * pipelined request. Once a unit that wrote rows commits, a thread of this bus sends a notification on
 * {@value #NOTIFY_CHANNEL}, which wakes the relays: one for any number of commits since the last, on a connection of its
 * own, since a {@code NOTIFY} inside the unit would serialise every notifying commit of the database.
 *
 * <p>Thread-safe; a call blocks on the calling thread's connection, waiting for the locks of its keys. Close it with the
 * application, before its data source.
 */
public final class OutboxEventBus implements EventBus, AutoCloseable {

    /** The channel of the notification sent at each publishing unit's commit, which the relays {@code LISTEN} to. */
    public static final String NOTIFY_CHANNEL = "hexbus_outbox";

    private static final Logger log = LoggerFactory.getLogger(OutboxEventBus.class);

    // Locks in the order of the keys' hashes (the subquery's ORDER BY is kept: it is not flattened), so two units
    // locking overlapping keys in one call each never wait on each other in a cycle, even when two keys collide.
    private static final String LOCK = "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT"
            + " hashtextextended(k, 0) AS h FROM unnest(?::text[]) AS k ORDER BY h) AS sorted";
    // ORDER BY n: the identity (seq) is drawn in the batch's order.
    private static final String INSERT = "INSERT INTO hexbus_outbox (event_id, event_name, ordering_key, envelope)"
            + " SELECT id, name, ordering_key, envelope"
            + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
            + " AS e(id, name, ordering_key, envelope, n) ORDER BY n"
            + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id";
    // The driver sends the statements of one string together and reads their results after: one round trip.
    private static final String LOCK_INSERT = LOCK + ";\n" + INSERT;
    // One event, the usual case: the same, without arrays to build, unnest and sort.
    private static final String INSERT_ONE = "INSERT INTO hexbus_outbox (event_id, event_name, ordering_key, envelope)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING RETURNING event_id";
    private static final String LOCK_ONE_INSERT_ONE = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0));\n"
            + INSERT_ONE;

    private final TransactionConnections units;
    private final EventCodec codec;
    private final Clock clock;
    private final Tracing tracing;
    private final String notificationPayload = "bus-" + UUID.randomUUID();
    private final CommitNotifier notifier;

    /**
     * @param units the transactions the events are written in: a {@link JdbcUnitOfWork}, or a framework's
     * @param codec the codec the transport behind the relay uses (its registry, modules and size limit)
     * @param clock dates the envelopes' {@code publishedAt}: the time they were written to the outbox
     */
    public OutboxEventBus(TransactionConnections units, EventCodec codec, Clock clock) {
        this(units, codec, clock, Tracing.NONE);
    }

    /**
     * A bus that writes each event's trace context in its row's envelope. The relay forwards the event through the
     * target transport's own publish, which asks the target's tracing again (docs/tracing.md).
     *
     * @param units   the transactions the events are written in: a {@link JdbcUnitOfWork}, or a framework's
     * @param codec   the codec the transport behind the relay uses (its registry, modules and size limit)
     * @param clock   dates the envelopes' {@code publishedAt}: the time they were written to the outbox
     * @param tracing asked for each event's trace context at publish, such as the processor's
     *                {@link io.hexbus.api.handling.DomainEventsProcessor#tracing()}
     * @since 0.1.0
     */
    public OutboxEventBus(TransactionConnections units, EventCodec codec, Clock clock, Tracing tracing) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.units = Objects.requireNonNull(units, "units");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notifier = new CommitNotifier(units.dataSource(), notificationPayload);
    }

    /** A delayed publish is refused after the checks of an immediate one: this transport cannot delay. */
    @Override
    public void checkPublishable(List<? extends DomainEvent> events) {
        codec.encodeAll(events, clock.instant());
    }

    /** @return the payload of this bus's notifications, which tells them from another bus's */
    String notificationPayload() {
        return notificationPayload;
    }

    /**
     * Writes the events to the outbox in the calling thread's transaction, all or none.
     *
     * @param events the events; none null; an empty list is a no-op, also outside a unit
     * @return per event, in order: {@code PUBLISHED} when written, {@code DUPLICATE} when its id already was
     * @throws NoUnitOfWorkException   if the calling thread runs no transaction of {@code units}
     * @throws EventPublishingException if PostgreSQL refused or failed the write; the unit's transaction is then
     *                                  aborted and must roll back (the cause tells an outage, a timeout, an SQL error)
     * @see EventBus#publishAll(List) for the codec's refusals
     */
    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        Connection connection = units.connection();
        List<EncodedEvent> encoded = codec.encodeAll(events, clock.instant(), tracing);
        Set<UUID> inserted;
        try {
            inserted = write(connection, encoded);
        } catch (SQLException e) {
            throw PublishFailures.of(encoded.size(), e);
        }
        if (!inserted.isEmpty()) {
            units.afterCommit(notifier::committed);
        }
        List<PublishOutcome> outcomes = OutboxBatch.outcomes(encoded, inserted);
        if (log.isDebugEnabled()) {
            log.debug("Wrote {} of {} event(s) to the outbox, the rest duplicates", inserted.size(), encoded.size());
        }
        return outcomes;
    }

    private static Set<UUID> write(Connection connection, List<EncodedEvent> encoded) throws SQLException {
        List<EncodedEvent> rows = OutboxBatch.firstOfEachId(encoded);
        List<String> keys = OutboxBatch.keysToLock(rows);
        int size = rows.size();
        UUID[] ids = new UUID[size];
        String[] names = new String[size];
        String[] orderingKeys = new String[size];
        String[] envelopes = new String[size];
        for (int i = 0; i < size; i++) {
            EncodedEvent row = rows.get(i);
            ids[i] = row.eventId();
            names[i] = row.name();
            orderingKeys[i] = row.orderingKey();
            envelopes[i] = row.json();
        }
        boolean locking = !keys.isEmpty();
        if (size == 1) {
            return writeOne(connection, rows.get(0), locking);
        }
        try (PreparedStatement statement = connection.prepareStatement(locking ? LOCK_INSERT : INSERT)) {
            int parameter = 1;
            if (locking) {
                statement.setArray(parameter++, connection.createArrayOf("text", keys.toArray()));
            }
            statement.setArray(parameter++, connection.createArrayOf("uuid", ids));
            statement.setArray(parameter++, connection.createArrayOf("text", names));
            statement.setArray(parameter++, connection.createArrayOf("text", orderingKeys));
            statement.setArray(parameter, connection.createArrayOf("text", envelopes));
            statement.execute();
            if (locking) {
                statement.getMoreResults(); // past the locks' result to the insert's
            }
            return inserted(statement);
        }
    }

    private static Set<UUID> writeOne(Connection connection, EncodedEvent row, boolean locking) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(locking ? LOCK_ONE_INSERT_ONE : INSERT_ONE)) {
            int parameter = 1;
            if (locking) {
                statement.setString(parameter++, row.orderingKey());
            }
            statement.setObject(parameter++, row.eventId());
            statement.setString(parameter++, row.name());
            statement.setString(parameter++, row.orderingKey());
            statement.setString(parameter, row.json());
            statement.execute();
            if (locking) {
                statement.getMoreResults(); // past the lock's result to the insert's
            }
            return inserted(statement);
        }
    }

    private static Set<UUID> inserted(PreparedStatement statement) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        try (ResultSet result = statement.getResultSet()) {
            while (result.next()) {
                inserted.add(result.getObject(1, UUID.class));
            }
        }
        return inserted;
    }

    /** Stops the thread that notifies the relays; publishing after this still writes, and the relays poll. */
    @Override
    public void close() {
        notifier.close();
    }
}
