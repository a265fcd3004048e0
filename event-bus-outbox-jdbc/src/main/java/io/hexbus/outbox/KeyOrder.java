package io.hexbus.outbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rows of a batch may be forwarded without overtaking an earlier event of their key. A pure function.
 *
 * <p>A batch is what one pass locked: waiting rows in seq order, minus the rows other relays hold (SKIP LOCKED) and
 * the rows waiting for a retry. A row may go only if every waiting row of its key with a lower seq is in the batch
 * too (and goes before it, since the batch is forwarded in seq order); otherwise an earlier event of its key is being
 * forwarded by another relay, or waits for its retry, and this one must wait for it.
 */
final class KeyOrder {

    private KeyOrder() {
    }

    /**
     * @param batch   the candidate rows, in seq order
     * @param waiting per ordering key of the batch, the seqs of that key's waiting rows (unsent, not dead) below the
     *                batch's last row of that key, at least, in any order; rows of the batch may be included. A key
     *                absent means none.
     * @return the rows of {@code batch} that may be forwarded now, in seq order
     */
    static List<OutboxRow> forwardable(List<OutboxRow> batch, Map<String, List<Long>> waiting) {
        Set<Long> inBatch = new HashSet<>();
        for (OutboxRow row : batch) {
            inBatch.add(row.seq());
        }
        List<OutboxRow> forwardable = new ArrayList<>(batch.size());
        for (OutboxRow row : batch) {
            if (nothingEarlierMissing(row, waiting.getOrDefault(row.orderingKey(), List.of()), inBatch)) {
                forwardable.add(row);
            }
        }
        return forwardable;
    }

    private static boolean nothingEarlierMissing(OutboxRow row, List<Long> waitingOfItsKey, Set<Long> inBatch) {
        for (long seq : waitingOfItsKey) {
            if (seq < row.seq() && !inBatch.contains(seq)) {
                return false;
            }
        }
        return true;
    }
}
