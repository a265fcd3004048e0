package io.hexbus.api.publishing;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code publishAll} refused because its events go to several queues of a transport that writes each queue
 * atomically but not several at once (the Redis transport's named queues, each a stream under its own hash tag).
 * Nothing of the call was published. Publishing each queue's events with a call of its own works: {@link #parts()}
 * says which events go together. A relay that does not need the whole batch to be atomic (the outbox's, which is
 * idempotent) does that; a use case that needs it keeps one call's events on one queue.
 *
 * @since 0.1.0
 */
public class BatchSpansQueuesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Queue name to the positions of its events, ascending, queues in the order of their first event; serializable. */
    private final Map<String, List<Integer>> parts;

    /**
     * @param message names the queues, and says to publish each queue's events with a call of its own
     * @param parts   queue name to the positions (0-based) of its events in the refused list, ascending
     */
    public BatchSpansQueuesException(String message, Map<String, List<Integer>> parts) {
        super(message);
        Map<String, List<Integer>> byFirstEvent = new LinkedHashMap<>();
        parts.entrySet().stream().sorted(Comparator.comparing(part -> part.getValue().get(0)))
                .forEach(part -> byFirstEvent.put(part.getKey(), List.copyOf(part.getValue())));
        this.parts = Collections.unmodifiableMap(byFirstEvent);
    }

    /**
     * @return queue name to the positions (0-based) of its events in the refused list, ascending; every position
     *         once, at least two queues; iterated in the order of each queue's first event, so that publishing the
     *         parts in this order keeps the first event of the batch first
     */
    public Map<String, List<Integer>> parts() {
        return parts;
    }
}
