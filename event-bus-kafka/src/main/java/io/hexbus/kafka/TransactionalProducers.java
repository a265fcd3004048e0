package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The transactional producers of one bus. A producer runs one transaction at a time, so concurrent {@code publishAll}
 * calls each take one: up to a bound, started (transactions initialised) when a call finds none idle, and waited for
 * beyond it. A producer whose transaction could not be ended is discarded, and a new one started when needed.
 *
 * <p>Thread-safety: thread-safe. {@link #take} blocks while every producer is in use, at most the given wait.
 */
final class TransactionalProducers<P> {

    private final Supplier<P> start;
    private final BiConsumer<P, Duration> close;
    private final int max;
    private final String servers;
    private final Deque<P> idle = new ArrayDeque<>(); // guarded by this
    private int started; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param start   starts a producer with a transactional id of its own and initialises its transactions; throws
     *                the client's exception if it cannot
     * @param close   closes a producer within a timeout
     * @param max     the most producers at once
     * @param servers the cluster, for the error of a wait that ran out
     */
    TransactionalProducers(Supplier<P> start, BiConsumer<P, Duration> close, int max, String servers) {
        this.start = Objects.requireNonNull(start, "start");
        this.close = Objects.requireNonNull(close, "close");
        this.max = max;
        this.servers = servers;
    }

    /**
     * @param wait the longest wait for a producer while all are in use
     * @return a producer of the caller's own until {@link #give} or {@link #discard}
     * @throws TransportTimeoutException if none was free within the wait
     * @throws IllegalStateException     if closed
     */
    P take(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the Kafka transport is closed");
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                if (started < max) {
                    started++;
                    break;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new TransportTimeoutException("all " + max + " transactional producers for Kafka at "
                            + servers + " stayed busy for " + wait.toMillis() + " ms", null);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportTimeoutException("interrupted while waiting for a transactional producer", e);
                }
            }
        }
        try {
            return start.get();
        } catch (RuntimeException e) {
            synchronized (this) {
                started--;
                notifyAll();
            }
            throw e;
        }
    }

    /** @param producer taken, its transaction ended: for the next call (closed instead, if this is) */
    void give(P producer) {
        synchronized (this) {
            if (!closed) {
                idle.push(producer);
                notifyAll();
                return;
            }
        }
        close.accept(producer, Duration.ZERO);
    }

    /** @param producer taken, its transaction not ended: closed, and another started when needed */
    void discard(P producer) {
        close.accept(producer, Duration.ZERO);
        synchronized (this) {
            started--;
            notifyAll();
        }
    }

    /**
     * Closes the idle producers, each within the timeout; those in use are closed as they come back.
     *
     * @param timeout for each
     */
    void close(Duration timeout) {
        Deque<P> closing;
        synchronized (this) {
            closed = true;
            closing = new ArrayDeque<>(idle);
            idle.clear();
            notifyAll();
        }
        closing.forEach(producer -> close.accept(producer, timeout));
    }
}
