package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * One connection of a worker and what runs on it: the consumers of its queues, the publisher of its retries, its
 * ledger (read whole when opened), and the dead-letter and statistics streams. A worker replaces the whole session
 * when the connection or its consuming channel closed (the broker then has its deliveries back), and only the ledger
 * when the ledger's stream stopped: the deliveries of the consuming channel stay the worker's.
 *
 * <p>Thread-safe: the parts are fixed but the ledger, which is replaced under the session's lock.
 */
final class WorkerSession implements AutoCloseable {

    private final Connection connection;
    private final WorkerConsumers consumers;
    private final ConfirmedPublisher publisher;
    private final DeadLetterStream deadLetters;
    private final StatsStream stats;
    private final RabbitQueueSettings settings;
    private volatile LedgerStream ledgerStream;

    private WorkerSession(Connection connection, WorkerConsumers consumers, ConfirmedPublisher publisher,
                          DeadLetterStream deadLetters, StatsStream stats, RabbitQueueSettings settings,
                          LedgerStream ledgerStream) {
        this.connection = connection;
        this.consumers = consumers;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.settings = settings;
        this.ledgerStream = ledgerStream;
    }

    /**
     * Connects, declares the topology, reads the ledger whole and starts the consumers (last: nothing is delivered
     * before the ledger can classify it).
     *
     * @param connectionSettings where the broker is
     * @param settings           the application's queues
     * @param workerSettings     the prefetch and the consumers' arguments
     * @param worker             the worker's name, for the connection and the consumer tags
     * @param generation         this session's number within the worker
     * @return the session
     * @throws TransportUnavailableException if the broker cannot be used
     */
    static WorkerSession open(RabbitConnectionSettings connectionSettings, RabbitQueueSettings settings,
                              RabbitWorkerSettings workerSettings, String worker, long generation) {
        Duration timeout = settings.commandTimeout();
        Connection connection = connectionSettings.connect(worker, timeout);
        LedgerStream ledger = null;
        try {
            RabbitTopology.declare(connection, settings);
            RabbitNames names = settings.names();
            ledger = openLedger(connection, settings);
            Object version = connection.getServerProperties().get("version");
            WorkerConsumers consumers = WorkerConsumers.start(connection, names, generation,
                    workerSettings.prefetch(), worker,
                    workerSettings.consumerArguments(version == null ? "" : version.toString()));
            return new WorkerSession(connection, consumers,
                    new ConfirmedPublisher(connection, timeout, connectionSettings.describe()),
                    new DeadLetterStream(connection, names.deadLetterStream(), settings.deadLetterRetention(),
                            timeout, Clock.systemUTC()),
                    new StatsStream(connection, names.statsStream(), timeout), settings, ledger);
        } catch (IOException e) {
            close(ledger, connection);
            throw new TransportUnavailableException("worker " + worker + " could not consume from RabbitMQ at "
                    + connectionSettings.describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(ledger, connection);
            throw e;
        }
    }

    private static LedgerStream openLedger(Connection connection, RabbitQueueSettings settings) {
        return LedgerStream.open(connection, settings.names().ledgerStream(),
                new Ledger(settings.dedupeWindow().toMillis(), settings.maxRememberedIds()),
                settings.commandTimeout());
    }

    /** @return whether its connection and consuming channel are open: its deliveries are still its worker's */
    boolean usable() {
        return connection.isOpen() && consumers.isOpen();
    }

    /** @return its consumers */
    WorkerConsumers consumers() {
        return consumers;
    }

    /** @return the publisher of its retries */
    ConfirmedPublisher publisher() {
        return publisher;
    }

    /** @return its dead-letter stream */
    DeadLetterStream deadLetters() {
        return deadLetters;
    }

    /** @return its statistics stream */
    StatsStream stats() {
        return stats;
    }

    /**
     * @return its ledger stream, opened again (read whole into a new {@link Ledger}) when it had stopped
     * @throws TransportUnavailableException if it cannot be opened again
     */
    LedgerStream ledger() {
        LedgerStream current = ledgerStream;
        if (!current.isBroken()) {
            return current;
        }
        synchronized (this) {
            if (ledgerStream.isBroken()) {
                ledgerStream.close();
                ledgerStream = openLedger(connection, settings);
            }
            return ledgerStream;
        }
    }

    /** Closes the connection: the broker takes back what its consumers did not acknowledge. Never throws. */
    @Override
    public void close() {
        consumers.close();
        publisher.close();
        close(ledgerStream, connection);
    }

    private static void close(LedgerStream ledger, Connection connection) {
        if (ledger != null) {
            ledger.close();
        }
        try {
            if (connection.isOpen()) {
                connection.close(2_000);
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway: the broker returns its deliveries when the socket goes
        }
    }
}
