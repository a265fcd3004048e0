package io.hexbus.api.transaction;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The port an application service runs a use case's writes through, so that they commit together or not at all:
 * the aggregate it saves and the events it publishes. A use case keeps injecting {@link io.hexbus.api.publishing.EventBus}
 * alone; the application layer wraps the work:
 *
 * <pre>{@code
 * unitOfWork.run(() -> {
 *     invoices.save(invoice);
 *     eventBus.publish(issued);
 * });
 * }</pre>
 *
 * <p>With the transactional outbox ({@code event-bus-outbox-jdbc}) the work runs in one database transaction and
 * the events are rows of it; without one, {@link #direct()} runs the work as it is and the bus publishes at once.
 *
 * <p><b>Contract.</b> The work's result is returned once it is committed; if the work throws, nothing it wrote is
 * kept and the exception reaches the caller unchanged; if the commit fails, the implementation's own exception says
 * so, and nothing is kept either. A unit of work started inside another joins it (one transaction, committed by the
 * outermost). Work runs on the calling thread, which it blocks.
 *
 * <p>Thread-safety: implementations are thread-safe; each thread has its own unit of work.
 */
public interface UnitOfWork {

    /**
     * Runs work in one unit of work and returns its result.
     *
     * @param work the work; it may throw
     * @param <T>  what it returns
     * @return what the work returned, once committed
     */
    <T> T call(Supplier<T> work);

    /**
     * Runs work that returns nothing in one unit of work.
     *
     * @param work the work; it may throw
     */
    default void run(Runnable work) {
        Objects.requireNonNull(work, "work");
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * A unit of work without a transaction: the work runs as it is, and what it writes is kept as far as it got.
     * What a service without a database, or on the in-memory default, composes.
     *
     * @return the direct unit of work
     */
    static UnitOfWork direct() {
        return new UnitOfWork() {
            @Override
            public <T> T call(Supplier<T> work) {
                return Objects.requireNonNull(work, "work").get();
            }

            @Override
            public String toString() {
                return "UnitOfWork.direct()";
            }
        };
    }
}
