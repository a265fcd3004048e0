package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.publishing.BatchSpansQueuesException;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.UnpublishableEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands decoded rows to the target bus and says which were accepted and which it refuses for good. Any other failure
 * of the target is thrown unchanged: the pass rolls back and the rows are retried.
 */
final class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final EventBus target;

    Forwarder(EventBus target) {
        this.target = target;
    }

    /**
     * What the target did with a batch.
     *
     * @param sent    the seqs it accepted
     * @param refused per seq it refused for good, the reason
     */
    record Outcome(List<Long> sent, Map<Long, String> refused) {
    }

    /**
     * @param rows   the rows, in seq order
     * @param events their events, in the same order
     * @return what was accepted and what refused
     * @throws RuntimeException any failure of the target but a refusal: nothing was marked, retry later
     */
    Outcome forward(List<OutboxRow> rows, List<DomainEvent> events) {
        if (rows.isEmpty()) {
            return new Outcome(List.of(), Map.of());
        }
        try {
            publish(events);
            return new Outcome(rows.stream().map(OutboxRow::seq).toList(), Map.of());
        } catch (BatchSpansQueuesException spans) {
            return forwardEachQueue(rows, events, spans);
        } catch (RuntimeException e) {
            if (!isRefusal(e)) {
                throw e;
            }
        }
        // publishAll refused the batch whole, before it delivered any (all or none): find the refused events one by
        // one, in seq order, so that the others go and the key order holds. Rare, so the cost does not matter.
        List<Long> sent = new ArrayList<>(rows.size());
        Map<Long, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                publish(List.of(events.get(i)));
                sent.add(rows.get(i).seq());
            } catch (RuntimeException e) {
                if (!isRefusal(e)) {
                    throw e;
                }
                refused.put(rows.get(i).seq(), "refused by the target: " + e);
            }
        }
        return new Outcome(sent, refused);
    }

    /**
     * The target writes each of its queues atomically, not several at once (Redis named queues): forwards each
     * queue's rows with a call of its own, in seq order within the queue. Forwarding is idempotent, so a failure after
     * some queues went only means those are reported as duplicates when the pass is retried.
     */
    private Outcome forwardEachQueue(List<OutboxRow> rows, List<DomainEvent> events, BatchSpansQueuesException spans) {
        List<Long> sent = new ArrayList<>(rows.size());
        Map<Long, String> refused = new LinkedHashMap<>();
        for (List<Integer> part : spans.parts().values()) {
            Outcome outcome = forward(part.stream().map(rows::get).toList(), part.stream().map(events::get).toList());
            sent.addAll(outcome.sent());
            refused.putAll(outcome.refused());
        }
        return new Outcome(sent, refused);
    }

    private void publish(List<DomainEvent> events) {
        try {
            target.publishAll(events);
        } catch (EventHandlingException e) {
            // A synchronous target ran its handlers and some failed: the events were published all the same (a second
            // publish would be a duplicate, delivered to no one), so they are forwarded. The target reported them.
            log.debug("Forwarded events whose handlers failed on the synchronous target: {}", e.getMessage());
        }
    }

    /** The refusals of the wire contract, the same on every transport: retrying cannot help. */
    private static boolean isRefusal(RuntimeException e) {
        return e instanceof UnpublishableEventException || e instanceof UnknownEventTypeException;
    }
}
