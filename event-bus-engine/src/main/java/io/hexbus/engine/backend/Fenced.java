package io.hexbus.engine.backend;

/** The answer to a fenced write: accepted only while this worker holds the message's lease. */
public enum Fenced {
    /** Written: the worker held the lease. */
    WRITTEN,
    /**
     * Refused and nothing changed: another worker holds the message now, or a later delivery of it does, or it was
     * settled already.
     */
    LEASE_LOST
}
