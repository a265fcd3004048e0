/**
 * A benchmark's package, as the rules see it, that wires the outbox: what
 * {@code onlyTheCompositionRootNamesTheOutbox} allows. A test class, so never part of the main classes the rules
 * check.
 */
package io.hexbus.benchmarks.archfixture;
