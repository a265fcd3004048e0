package io.hexbus.spring.boot;

import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The queue workers of this process, in the context's lifecycle: started with the context when {@code hexbus.mode}
 * consumes ({@code all} or {@code worker}) and the transport is a queue, after every handler bean is registered;
 * stopped in Spring Boot's graceful-shutdown phase, beside the web server's drain: each worker stops taking events
 * and lets its in-flight handlers finish within {@code hexbus.shutdown-deadline}, and what is left stays on the queue
 * for another worker, so nothing is lost on a normal stop. The stop runs on its own thread, so Spring waits for it
 * at most {@code spring.lifecycle.timeout-per-shutdown-phase}: keep that above the deadline. Thread-safe.
 */
public final class HexbusWorkers implements SmartLifecycle {

    /**
     * The phase of Spring Boot's graceful shutdown ({@code WebServerGracefulShutdownLifecycle}): workers start after
     * the web server and stop while it drains its requests.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(HexbusWorkers.class);

    private final QueuedTransport transport;
    private final HexbusTransportSelection selection;
    private final List<Supplier<QueueWorker>> starts;
    private final List<QueueWorker> running = new ArrayList<>();

    /**
     * @param transport the queue, or null when the transport is in memory
     * @param selection the transport and the mode
     * @param count     workers to start when this process consumes
     */
    public HexbusWorkers(QueuedTransport transport, HexbusTransportSelection selection, int count) {
        this(transport, selection, transport == null ? List.of()
                : Collections.<Supplier<QueueWorker>>nCopies(count, transport::startWorker));
    }

    /**
     * @param transport the queue, or null when the transport is in memory
     * @param selection the transport and the mode
     * @param starts    one start per worker to run when this process consumes ({@link HexbusWorkerSets})
     */
    public HexbusWorkers(QueuedTransport transport, HexbusTransportSelection selection,
                         List<Supplier<QueueWorker>> starts) {
        this.transport = transport;
        this.selection = Objects.requireNonNull(selection, "selection");
        this.starts = List.copyOf(starts);
    }

    /**
     * Starts the workers; blocks until each runs.
     *
     * @throws io.hexbus.api.transport.TransportUnavailableException if the broker cannot be used, which fails the
     *                                                               context's start
     */
    @Override
    public void start() {
        synchronized (running) {
            if (!running.isEmpty() || transport == null || !selection.transport().isQueue()
                    || !selection.mode().consumes()) {
                return;
            }
            for (Supplier<QueueWorker> start : starts) {
                running.add(start.get());
            }
            log.info("Started {} {} worker(s) (hexbus.mode={})", starts.size(), transport.name(),
                    selection.mode().name().toLowerCase(Locale.ROOT));
        }
    }

    /** Stops the workers gracefully; blocks until they stopped. */
    @Override
    public void stop() {
        List<QueueWorker> stopping;
        synchronized (running) {
            stopping = List.copyOf(running);
            running.clear();
        }
        // All stop taking work at once, then each waits for its own in-flight handlers: one thread per worker, so
        // that N workers take one deadline, not N.
        List<Thread> closing = stopping.stream().map(worker -> new Thread(worker::close, "hexbus-worker-stop"))
                .toList();
        closing.forEach(Thread::start);
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void stop(Runnable callback) {
        Thread stopper = new Thread(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        }, "hexbus-workers-stop");
        stopper.start();
    }

    @Override
    public boolean isRunning() {
        synchronized (running) {
            return !running.isEmpty();
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * @return how many workers run now
     */
    public int running() {
        synchronized (running) {
            return running.size();
        }
    }
}
