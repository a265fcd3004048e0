package io.hexbus.api.scheduling;

/**
 * What a starting instance does with a tick that came due while no instance ran (downtime, a deployment).
 * A tick missed while running (a GC pause, a clock jump, a suspended host) is never lost this way: the latest
 * due tick fires once, the earlier ones are coalesced into it.
 */
public enum MissedTicks {

    /**
     * The default: at start, the latest tick missed within the implementation's catch-up bound (one day by
     * default) fires once. Every instance does so at its start; the tick's derived id makes the repeats
     * duplicates, provided the bus's dedupe window is longer than the bound.
     */
    FIRE_ONCE,

    /** At start, no missed tick fires: the first to fire is the next one. */
    SKIP
}
