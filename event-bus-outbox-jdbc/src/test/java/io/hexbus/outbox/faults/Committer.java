package io.hexbus.outbox.faults;

import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Use cases committing continuously until closed: each of its threads runs unit after unit of work, each publishing
 * one to three {@link ShipmentDue} events through the outbox, at most one unit per {@code pace} per thread. A thread
 * owns its keys ({@code k<thread>-<n>}), so a key's numbers grow in its commit order. Every {@code rollbackEvery}-th
 * unit (0: none) throws after publishing, on purpose. Records the ids whose unit returned ({@link #committed()}), those
 * of the units rolled back on purpose, and those of units that failed otherwise ({@link #failed()}: the database
 * down; a commit whose answer was lost may still have happened).
 */
final class Committer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Told the ids of each unit that committed, on the committing thread, before the next unit starts. */
    interface CommitListener {
        void committed(List<ShipmentDue> events);
    }

    private final Set<UUID> committed = ConcurrentHashMap.newKeySet();
    private final Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
    private final Set<UUID> failed = ConcurrentHashMap.newKeySet();
    private final AtomicLong committedUnits = new AtomicLong();
    private final AtomicLong rolledBackUnits = new AtomicLong();
    private final AtomicLong failedUnits = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    Committer(JdbcUnitOfWork units, OutboxEventBus outbox, int threadCount, int keysPerThread, int rollbackEvery,
              Duration pace, CommitListener listener) {
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            threads.add(new Thread(() -> run(units, outbox, thread, keysPerThread, rollbackEvery, pace, listener),
                    "committer-" + t));
        }
        threads.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
    }

    private void run(JdbcUnitOfWork units, OutboxEventBus outbox, int thread, int keys, int rollbackEvery,
                     Duration pace, CommitListener listener) {
        long[] next = new long[keys];
        for (long unit = 1; !stopped; unit++) {
            List<ShipmentDue> events = new ArrayList<>();
            for (int i = 0; i <= unit % 3; i++) {
                int key = (int) ((unit + i) % keys);
                events.add(ShipmentDue.of("k" + thread + "-" + key, ++next[key]));
            }
            boolean rollBack = rollbackEvery > 0 && unit % rollbackEvery == 0;
            try {
                units.run(() -> {
                    outbox.publishAll(events);
                    if (rollBack) {
                        throw new RolledBackOnPurpose();
                    }
                });
                events.forEach(e -> committed.add(e.eventId()));
                committedUnits.incrementAndGet();
                listener.committed(events);
            } catch (RolledBackOnPurpose e) {
                events.forEach(event -> rolledBack.add(event.eventId()));
                rolledBackUnits.incrementAndGet();
            } catch (RuntimeException e) {
                events.forEach(event -> failed.add(event.eventId()));
                if (failedUnits.incrementAndGet() == 1) { // one line: a database down fails every unit alike
                    LOG.info("A unit of work failed: {}", e.toString());
                }
            }
            LockSupport.parkNanos(pace.toNanos()); // a steady flow of use cases, not a flood
        }
    }

    /** The use case's own failure, after it published: its transaction rolls back. */
    private static final class RolledBackOnPurpose extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RolledBackOnPurpose() {
            super("the use case failed after publishing, on purpose", null, false, false);
        }
    }

    /** @return the ids of events whose unit of work returned */
    Set<UUID> committed() {
        return Set.copyOf(committed);
    }

    /** @return the ids of events whose unit threw on purpose after publishing */
    Set<UUID> rolledBack() {
        return Set.copyOf(rolledBack);
    }

    /** @return the ids of events whose unit failed otherwise (the database down) */
    Set<UUID> failed() {
        return Set.copyOf(failed);
    }

    /** @return the counts of units: committed, rolled back on purpose, failed */
    Map<String, Long> units() {
        return Map.of("committed", committedUnits.get(), "rolledBack", rolledBackUnits.get(), "failed",
                failedUnits.get());
    }

    long committedUnits() {
        return committedUnits.get();
    }

    long failedUnits() {
        return failedUnits.get();
    }

    /** Stops committing and waits for the units under way. */
    @Override
    public void close() {
        stopped = true;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
