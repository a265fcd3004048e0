package io.hexbus.engine.backend;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.TraceContext;

import java.util.Objects;

/**
 * Reads a delivered envelope into an event: the transport's codec, seen from the engine, which neither knows
 * the wire format nor depends on a JSON library. Thread-safe: called from every job thread at once.
 */
public interface EnvelopeReader {

    /**
     * Reads an envelope, checking it against what the message is routed by: an envelope of another event type
     * or id than its routing fields say is {@link Malformed}.
     *
     * @param eventName the name the message is routed by, valid per the registry's grammar
     * @param eventId   the id the message is routed by, as written
     * @param envelope  the envelope
     * @return the event, or why it cannot be read; never throws for the message's content
     */
    Read read(String eventName, String eventId, String envelope);

    /**
     * @return the largest envelope the codec accepts, in bytes of UTF-8; a dead letter keeps no more than the start
     *         of a larger one
     */
    int maxBytes();

    /** What reading an envelope gave. */
    sealed interface Read {
    }

    /**
     * The event, with the trace context it was published with, which the engine hands to the processor's
     * {@link io.hexbus.api.handling.Tracing} around each handler run.
     *
     * @param event        the decoded event
     * @param traceContext the envelope's trace context, or null when it has none
     */
    record Event(DomainEvent event, TraceContext traceContext) implements Read {
        /**
         * @param event        the decoded event
         * @param traceContext the envelope's trace context, or null
         * @throws NullPointerException if {@code event} is null
         */
        public Event {
            Objects.requireNonNull(event, "event");
        }

        /**
         * An event that carried no trace context.
         *
         * @param event the decoded event
         * @throws NullPointerException if {@code event} is null
         */
        public Event(DomainEvent event) {
            this(event, null);
        }
    }

    /**
     * An envelope no code can read: dead-lettered with its reason.
     *
     * @param summary a one-line reason, safe to log (quotes nothing of the payload)
     * @param detail  the full reason, kept in the dead letter
     */
    record Malformed(String summary, String detail) implements Read {
        /**
         * @param summary a one-line reason, safe to log
         * @param detail  the full reason
         * @throws NullPointerException if an argument is null
         */
        public Malformed {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * An envelope of a newer version of its event than this code reads: it waits for code that reads it.
     *
     * @param message       what and why, naming both versions
     * @param entryVersion  the envelope's version
     * @param readerVersion the version this code reads
     */
    record NewerVersion(String message, int entryVersion, int readerVersion) implements Read {
        /**
         * @param message       what and why
         * @param entryVersion  the envelope's version
         * @param readerVersion the version this code reads
         * @throws NullPointerException if {@code message} is null
         */
        public NewerVersion {
            Objects.requireNonNull(message, "message");
        }
    }
}
