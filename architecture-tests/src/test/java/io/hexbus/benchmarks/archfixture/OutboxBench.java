package io.hexbus.benchmarks.archfixture;

import io.hexbus.outbox.OutboxRelay;

/**
 * Obeys {@code onlyTheCompositionRootNamesTheOutbox}: a benchmark wires the outbox as a composition root does.
 */
public class OutboxBench {
    OutboxRelay relay;
}
