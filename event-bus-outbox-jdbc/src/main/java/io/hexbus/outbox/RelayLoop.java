package io.hexbus.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The relay's thread: drain the outbox pass after pass until a batch comes back short, clean up on schedule, then
 * wait for a notification or the poll interval; after a failed pass, back off instead. Ends when stopped.
 */
final class RelayLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    private final RelayPass pass;
    private final Retention retention;
    private final OutboxListener listener;
    private final RelayHealth health;
    private final OutboxRelaySettings settings;
    private final Clock clock;
    private final CountDownLatch stop;
    private Instant nextCleanup;

    RelayLoop(RelayPass pass, Retention retention, OutboxListener listener, RelayHealth health,
              OutboxRelaySettings settings, Clock clock, CountDownLatch stop) {
        this.pass = pass;
        this.retention = retention;
        this.listener = listener;
        this.health = health;
        this.settings = settings;
        this.clock = clock;
        this.stop = stop;
    }

    @Override
    public void run() {
        nextCleanup = clock.instant();
        try (listener) {
            // Listening before the first pass: a row committed after that pass's select notifies this connection.
            listener.listen();
            while (!stopping()) {
                boolean drained = drain();
                cleanUpIfDue(); // also while the transport is down: it needs the database only
                if (drained) {
                    listener.await(settings.pollInterval());
                } else {
                    stop.await(Backoff.after(health.failures(), settings.minBackoff(), settings.maxBackoff())
                            .toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() gave up waiting: end now, nothing is lost
        } catch (RuntimeException e) { // a bug: loud, and visible in the status, never a silent end
            health.failed("the relay stopped: " + e, clock.instant());
            log.error("Outbox relay {} stopped on an unexpected error; its rows wait for another relay or a restart",
                    settings.name(), e);
            throw e;
        }
    }

    /** @return false if a pass failed */
    private boolean drain() {
        while (!stopping()) {
            RelayPass.Result result;
            try {
                result = pass.run();
            } catch (RelayPass.FailedException | RuntimeException e) {
                failed(e);
                return false;
            }
            if (health.failures() > 0) {
                log.info("Outbox relay {} forwards again, after {} failed pass(es) since {}", settings.name(),
                        health.failures(), health.failingSince().orElse(null));
            }
            health.succeeded(result.forwarded());
            // A full batch that moved nothing is held by other relays or by retries: waiting is all there is to do.
            if (result.locked() < settings.batchSize() || !result.progressed()) {
                return true;
            }
        }
        return true;
    }

    private void failed(Exception e) {
        String reason = e instanceof RelayPass.FailedException ? e.getMessage() : RelayPass.reason(e);
        int failures = health.failed(reason, clock.instant());
        if (failures == 1 && !stopping()) { // once per streak (the status shows it); a pass cut by close() is no news
            log.warn("Outbox relay {} cannot forward, retrying with backoff up to {}: {}", settings.name(),
                    settings.maxBackoff(), reason);
        } else {
            log.debug("Outbox relay {} still cannot forward ({} failed passes): {}", settings.name(), failures, reason);
        }
    }

    private void cleanUpIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(settings.cleanupInterval());
        try {
            long deleted = retention.run(this::stopping);
            if (deleted > 0) {
                log.debug("Outbox relay {} deleted {} sent row(s) older than {}", settings.name(), deleted,
                        settings.retention());
            }
        } catch (SQLException | RuntimeException e) { // once per interval at most
            log.warn("Outbox relay {} could not delete old sent rows, trying again in {}: {}", settings.name(),
                    settings.cleanupInterval(), e.toString());
        }
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }
}
