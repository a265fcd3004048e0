/**
 * The queue engine: what every queued transport shares, apart from its broker. Today it holds the decision
 * after a round of an event's handlers ({@link io.hexbus.engine.RoundDecision}, a pure function returning a
 * {@link io.hexbus.engine.Settlement}), the typed per-subscription {@link io.hexbus.engine.Progress} it reads and
 * the {@link io.hexbus.engine.ProgressUpdate} it writes, the {@link io.hexbus.engine.HandlerWatchdog} that
 * enforces handler timeouts, and the {@link io.hexbus.engine.JobSlots} a worker holds entries and runs jobs in.
 * The worker loop still lives in the Redis transport; {@code docs/architecture.md} describes the engine and
 * backend split that comes next.
 *
 * <p>Depends on the API and SLF4J only. Parameters and return values in this package are non-null unless a
 * method says otherwise.
 */
package io.hexbus.engine;
