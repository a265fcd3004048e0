package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin's fold of a ledger stream for {@link io.hexbus.api.admin.QueueAdmin#eventProgress}: per event id, the
 * latest round the ledger knows of it (claimed, or settled done, dead or for a retry with the next round's progress),
 * and the event's name from its claims. A dead-letter retry's lineage ({@code <event id>/<retry id>}) counts for its
 * event, the newest lineage winning.
 *
 * <p>Bounded as a worker's {@link Ledger}: an event is forgotten a dedupe window after its first record (by the
 * writers' clocks), and past {@code maxRemembered} events, oldest first. Pure; not thread-safe.
 */
final class LedgerProgress {

    /** Where the ledger last left an event. */
    enum Stage {
        /** Its latest round is claimed by a worker and not settled: it runs, or waits for a takeover. */
        CLAIMED,
        /** Its latest round finished with nothing left to run. */
        DONE,
        /** It was dead-lettered. */
        DEAD,
        /** Its latest round finished with retries to run: the next round waits in a retry tier. */
        RETRY
    }

    /**
     * What the ledger knows of one event. Immutable.
     *
     * @param eventName        its name from a claim, or empty when no claim named it
     * @param lineage          its newest lineage
     * @param round            the latest round of that lineage
     * @param stage            where that round stands
     * @param retryProgress    the progress the latest retry settle of the lineage wrote ({@link ProgressText}), or
     *                         null if none
     * @param retrySettledAt   when that settle was appended, epoch ms on its writer's clock
     * @param firstSeenAtMillis when the event's first record was appended
     */
    record Known(String eventName, String lineage, int round, Stage stage, String retryProgress, long retrySettledAt,
                 long firstSeenAtMillis) {

        /** @throws NullPointerException if a name, the lineage or the stage is null */
        Known {
            Objects.requireNonNull(eventName, "eventName");
            Objects.requireNonNull(lineage, "lineage");
            Objects.requireNonNull(stage, "stage");
        }

        /** @return true if the lineage is a dead letter's retry */
        boolean deadLetterRetry() {
            return lineage.indexOf('/') >= 0;
        }
    }

    private final long windowMillis;
    private final int maxRemembered;
    private final LinkedHashMap<String, Known> events = new LinkedHashMap<>();

    /**
     * @param windowMillis  how long an event is remembered after its first record, ms; positive
     * @param maxRemembered the most events remembered; at least 1
     * @throws IllegalArgumentException if either is out of bounds
     */
    LedgerProgress(long windowMillis, int maxRemembered) {
        if (windowMillis <= 0 || maxRemembered < 1) {
            throw new IllegalArgumentException("window " + windowMillis + " ms and at most " + maxRemembered
                    + " events: both must be positive");
        }
        this.windowMillis = windowMillis;
        this.maxRemembered = maxRemembered;
    }

    /**
     * Applies the next record of the stream, in order; alive and sync records change nothing.
     *
     * @param record           the record
     * @param appendedAtMillis when its message was appended, epoch ms on its writer's clock
     */
    void apply(LedgerRecord record, long appendedAtMillis) {
        if (record instanceof Claim claim) {
            String id = eventIdOf(claim.lineage());
            Known known = events.get(id);
            if (known == null || isLater(known, claim.lineage(), claim.round())) {
                String name = claim.eventName().isEmpty() && known != null ? known.eventName() : claim.eventName();
                // A dead letter's retry starts from fresh progress: what the first lineage recorded is not its.
                boolean sameLineage = known != null && known.lineage().equals(claim.lineage());
                events.put(id, new Known(name, claim.lineage(), claim.round(), Stage.CLAIMED,
                        sameLineage ? known.retryProgress() : null, sameLineage ? known.retrySettledAt() : 0,
                        known == null ? appendedAtMillis : known.firstSeenAtMillis()));
            } else if (known.eventName().isEmpty() && !claim.eventName().isEmpty()) {
                events.put(id, new Known(claim.eventName(), known.lineage(), known.round(), known.stage(),
                        known.retryProgress(), known.retrySettledAt(), known.firstSeenAtMillis()));
            }
        } else if (record instanceof Settle settle) {
            String id = eventIdOf(settle.lineage());
            Known known = events.get(id);
            // The first settle of a round wins: a later one of the same round is a takeover's copy.
            boolean first = known == null || isLater(known, settle.lineage(), settle.round())
                    || known.lineage().equals(settle.lineage()) && known.round() == settle.round()
                    && known.stage() == Stage.CLAIMED;
            if (first) {
                boolean retry = settle.outcome() == Outcome.RETRY;
                events.put(id, new Known(known == null ? "" : known.eventName(), settle.lineage(), settle.round(),
                        stageOf(settle.outcome()), retry ? settle.nextProgress() : known == null ? null
                        : known.retryProgress(), retry ? appendedAtMillis : known == null ? 0
                        : known.retrySettledAt(), known == null ? appendedAtMillis : known.firstSeenAtMillis()));
            }
        }
        forget(appendedAtMillis);
    }

    /**
     * @param eventId an event id, as its lineage starts
     * @return what the ledger knows of it, or empty if nothing (never claimed, or forgotten)
     */
    Optional<Known> of(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    /** @return how many events it remembers */
    int size() {
        return events.size();
    }

    /**
     * A later round of the known lineage, or a dead letter's retry of the event (another lineage with a retry id):
     * newer than what is known. A record of the event's first lineage after a retry's is a late copy.
     */
    private static boolean isLater(Known known, String lineage, int round) {
        return known.lineage().equals(lineage) ? round > known.round() : lineage.indexOf('/') >= 0;
    }

    private static Stage stageOf(Outcome outcome) {
        return switch (outcome) {
            case DONE -> Stage.DONE;
            case DEAD -> Stage.DEAD;
            case RETRY -> Stage.RETRY;
        };
    }

    static String eventIdOf(String lineage) {
        int slash = lineage.indexOf('/');
        return slash < 0 ? lineage : lineage.substring(0, slash);
    }

    private void forget(long nowMillis) {
        Iterator<Map.Entry<String, Known>> oldest = events.entrySet().iterator();
        while (oldest.hasNext()) {
            Known known = oldest.next().getValue();
            if (events.size() <= maxRemembered && nowMillis - known.firstSeenAtMillis() < windowMillis) {
                return;
            }
            oldest.remove();
        }
    }
}
