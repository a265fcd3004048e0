package io.hexbus.rabbitmq;

import java.util.List;

/**
 * The ledger's {@code done} settles read from outside the worker, for the fault tests: decodes one message of a
 * ledger stream with {@link LedgerCodec} (package-private) and keeps the lineages of its {@code done} settles. Pure.
 */
public final class LedgerSettles {

    private LedgerSettles() {
    }

    /**
     * @param body a message of a ledger stream
     * @return the lineages it settles {@code done}, in order; empty for claims, retries, dead settles and syncs
     * @throws IllegalArgumentException if it is not a ledger message
     */
    public static List<String> done(byte[] body) {
        return LedgerCodec.decode(body).stream()
                .filter(r -> r instanceof LedgerRecord.Settle s && s.outcome() == LedgerRecord.Outcome.DONE)
                .map(r -> ((LedgerRecord.Settle) r).lineage()).toList();
    }
}
