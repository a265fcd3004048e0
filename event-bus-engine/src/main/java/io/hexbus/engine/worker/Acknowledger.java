package io.hexbus.engine.worker;

import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.JobSlots;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.QueueBackend;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledges finished messages in batches on a thread of its own, so a job thread moves on without waiting for
 * the round trip. A message stays held (its lease renewed) until its acknowledgement is written; one the broker
 * does not take is tried again with backoff until the worker stops, then left for another worker. Thread-safe.
 */
final class Acknowledger {

    private static final int BATCH = 512;

    private final QueueBackend backend;
    private final Holdings holdings;
    private final Logger log;
    private final String worker;
    private final BoundedLog problems;
    private final BlockingQueue<Acknowledgement> queued = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    Acknowledger(QueueBackend backend, Holdings holdings, Logger log, String worker) {
        this.backend = backend;
        this.holdings = holdings;
        this.log = log;
        this.worker = worker;
        this.problems = new BoundedLog(log, Duration.ofSeconds(30));
        this.thread = JobSlots.daemonThreads("hexbus-acker-" + worker).newThread(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Queues a message every subscription finished with; it is released once acknowledged. */
    void queue(Delivery delivery, Acknowledgement.Kind kind) {
        queued.add(new Acknowledgement(delivery, kind));
    }

    /** Writes what is queued, then stops; waits up to {@code wait}. */
    void stop(Duration wait) throws InterruptedException {
        stopping = true;
        thread.join(wait.toMillis());
    }

    /** Stops at once: what is still queued is left for another worker. */
    void interrupt() {
        stopping = true;
        thread.interrupt();
    }

    private void loop() {
        List<Acknowledgement> batch = new ArrayList<>();
        Duration backoff = Duration.ZERO;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Acknowledgement first = queued.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    queued.drainTo(batch, BATCH - 1);
                }
                acknowledge(batch);
                batch.clear();
                backoff = Duration.ZERO;
            } catch (TransportUnavailableException e) {
                problems.warn("Worker {} cannot acknowledge {} event(s): {}; retrying", worker, batch.size(),
                        e.getMessage());
                if (stopping) {
                    batch.forEach(a -> holdings.release(a.delivery())); // left pending: another worker takes them over
                    batch.clear();
                }
                backoff = Backoff.next(backoff);
                if (!Backoff.pause(backoff)) {
                    releaseAll(batch);
                    return;
                }
            } catch (InterruptedException e) {
                releaseAll(batch);
                return;
            } catch (RuntimeException e) { // a backend's bug: logged, and tried again, never the end of this thread
                log.error("Worker {}: acknowledging {} event(s) failed; retrying", worker, batch.size(), e);
                backoff = Backoff.next(backoff);
                if (stopping || !Backoff.pause(backoff)) {
                    releaseAll(batch);
                    return;
                }
            }
        }
    }

    private void releaseAll(List<Acknowledgement> batch) {
        batch.forEach(a -> holdings.release(a.delivery()));
        queued.forEach(a -> holdings.release(a.delivery()));
    }

    private void acknowledge(List<Acknowledgement> batch) {
        var lost = backend.acknowledge(batch);
        for (Acknowledgement done : batch) {
            if (lost.contains(done.delivery().id())) {
                Settler.leaseLost(log, worker, done.delivery());
            }
            holdings.release(done.delivery());
        }
    }
}
