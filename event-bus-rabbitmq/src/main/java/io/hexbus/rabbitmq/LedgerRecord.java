package io.hexbus.rabbitmq;

import java.util.Objects;

/**
 * One record of an application's ledger stream (docs/rabbitmq-transport.md, "The ledger"): a {@link Claim}, a
 * {@link Settle}, or a {@link Sync} a reader appends to find the stream's end. {@link Ledger} folds them;
 * {@link LedgerCodec} writes them.
 *
 * <p>Immutable and thread-safe.
 */
sealed interface LedgerRecord {

    /** How a round finished. */
    enum Outcome {
        /** Every subscription of the round is done or dead: nothing is left to run. */
        DONE,
        /** The message was dead-lettered as a whole. */
        DEAD,
        /** Some subscriptions wait for a retry: the next round is (or is about to be) published. */
        RETRY
    }

    /**
     * A worker is about to run round {@code round} of {@code lineage} from message {@code messageId}; the first
     * claim of a round wins.
     *
     * @param lineage   the event id, or {@code <event id>/<retry id>} for a dead-letter retry; any characters
     * @param round     0 on publish, +1 per retry; not negative
     * @param messageId the AMQP message id of the message the round is run from
     * @param owner     the worker that claims it, whose {@link Alive} records keep its claims its own; empty when
     *                  not known (the claim is then taken over as soon as its message is redelivered)
     * @param eventName the event's name, for the admin's event progress; empty when not known
     */
    record Claim(String lineage, int round, String messageId, String owner, String eventName)
            implements LedgerRecord {

        /**
         * A claim of no known owner.
         *
         * @param lineage   the lineage
         * @param round     the round
         * @param messageId the message id
         */
        public Claim(String lineage, int round, String messageId) {
            this(lineage, round, messageId, "");
        }

        /**
         * A claim of no known event name.
         *
         * @param lineage   the lineage
         * @param round     the round
         * @param messageId the message id
         * @param owner     the claiming worker
         */
        public Claim(String lineage, int round, String messageId, String owner) {
            this(lineage, round, messageId, owner, "");
        }

        /**
         * Checks the fields.
         *
         * @param lineage   the lineage
         * @param round     the round, not negative
         * @param messageId the message id
         * @param owner     the claiming worker
         * @param eventName the event name
         * @throws NullPointerException     if a string is null
         * @throws IllegalArgumentException if the round is negative
         */
        public Claim {
            Objects.requireNonNull(lineage, "lineage");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(eventName, "eventName");
            checkRound(round);
        }
    }

    /**
     * Round {@code round} of {@code lineage} finished; the first settle of a round wins, and overrides its claims.
     *
     * @param lineage      the lineage; any characters
     * @param round        the round, not negative
     * @param outcome      how it finished
     * @param nextProgress for {@link Outcome#RETRY} only, the next round's progress as {@link ProgressText} encodes
     *                     it; null otherwise
     */
    record Settle(String lineage, int round, Outcome outcome, String nextProgress) implements LedgerRecord {

        /**
         * Checks the fields.
         *
         * @param lineage      the lineage
         * @param round        the round, not negative
         * @param outcome      how it finished
         * @param nextProgress the next round's progress for a retry, else null
         * @throws NullPointerException     if the lineage or outcome is null
         * @throws IllegalArgumentException if the round is negative, or {@code nextProgress} is null for a retry
         *                                  or set for another outcome
         */
        public Settle {
            Objects.requireNonNull(lineage, "lineage");
            Objects.requireNonNull(outcome, "outcome");
            checkRound(round);
            if ((outcome == Outcome.RETRY) != (nextProgress != null)) {
                throw new IllegalArgumentException("nextProgress must be set for RETRY and only for it, got "
                        + outcome + " with " + (nextProgress == null ? "none" : "some"));
            }
        }
    }

    /**
     * A worker is alive, and which of its claimed messages it still runs: appended every third of the lease by each
     * worker, so that another worker holding one of them, redelivered (AMQP returns a worker's deliveries when its
     * connection drops, while its handlers may still run), waits for it to settle; and runs at once one the claimer
     * no longer holds (claimed, then given back before it ran).
     *
     * @param worker  the worker's name
     * @param holding the message ids of what it runs or holds unsettled now
     */
    record Alive(String worker, java.util.List<String> holding) implements LedgerRecord {

        /**
         * Checks and copies.
         *
         * @param worker  the worker's name
         * @param holding the message ids it holds
         */
        public Alive {
            Objects.requireNonNull(worker, "worker");
            holding = java.util.List.copyOf(holding);
        }
    }

    /**
     * A marker a reader appends and waits to read back: once it has, it has read everything appended before.
     *
     * @param marker a value no other reader uses, such as a random UUID
     */
    record Sync(String marker) implements LedgerRecord {

        /**
         * Checks the field.
         *
         * @param marker the marker
         * @throws NullPointerException if it is null
         */
        public Sync {
            Objects.requireNonNull(marker, "marker");
        }
    }

    private static void checkRound(int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round must not be negative, got " + round);
        }
    }
}
