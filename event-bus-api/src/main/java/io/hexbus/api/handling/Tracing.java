package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;

import java.util.Optional;

/**
 * The hook a tracing library (such as {@code event-bus-opentelemetry}) plugs into every transport, without
 * {@code event-bus-api} knowing that library: at publish it gives the {@link TraceContext} each event travels with,
 * and it wraps each handler run. Install one on the {@link DomainEventsProcessor} with
 * {@link DomainEventsProcessor#useTracing(Tracing)}.
 *
 * <ul>
 *   <li>{@link #publishing} is called by every {@link io.hexbus.api.publishing.EventBus} of the processor's
 *       application (the in-memory bus, each queued transport, the JDBC outbox) once per event it is about to
 *       publish, on the publisher's thread, after the event passed the bus's checks and before it is written; an
 *       event then reported as a duplicate was asked for all the same.</li>
 *   <li>{@link #handle} is called around each run of a subscription's handler, on the thread that runs it, with the
 *       trace context the event was published with and the attempt number; it must call
 *       {@link HandlerInvocation#proceed()} once, and let what that throws propagate (a transport decides retries
 *       by it).</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe and fast: both methods run on the transports' hot paths, from any number
 * of threads. {@link #publishing} must not throw.
 *
 * @since 0.1.0
 */
public interface Tracing {

    /** Traces nothing: events carry no trace context and handlers run bare. It is not {@linkplain #isActive active}. */
    Tracing NONE = new Tracing() {
        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public String toString() {
            return "Tracing.NONE";
        }
    };

    /**
     * Whether {@link #publishing} may give an event a trace context now. False promises it gives none, so a transport
     * may skip asking it for the events of a publish: what keeps an untraced application from paying per event. Asked
     * once per publish call, on the publisher's thread; it says nothing of {@link #handle}, which is called all the
     * same.
     *
     * @return true by default; false for {@link #NONE}, and for a processor's tracing while it forwards to none
     * @since 0.1.0
     */
    default boolean isActive() {
        return true;
    }

    /**
     * The trace context an event is published with.
     *
     * @param eventName the event's name
     * @param event     the event
     * @return the context to carry with it, or empty to carry none (by default)
     */
    default Optional<TraceContext> publishing(String eventName, DomainEvent event) {
        return Optional.empty();
    }

    /**
     * Runs one handler run, wrapped: by default it only proceeds.
     *
     * @param run        the subscription, event, attempt and the publish's trace context
     * @param invocation runs the handler when proceeded
     * @throws Exception whatever the handler threw, unchanged
     */
    default void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
        invocation.proceed();
    }

    /** The handler run that {@link Tracing#handle} wraps. */
    @FunctionalInterface
    interface HandlerInvocation {

        /**
         * Runs the handler in the calling thread.
         *
         * @throws Exception whatever the handler throws
         */
        void proceed() throws Exception;
    }
}
