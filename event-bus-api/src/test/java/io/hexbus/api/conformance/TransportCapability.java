package io.hexbus.api.conformance;

/**
 * What a transport claims beyond the common contract. Tests that need a capability run only for transports
 * that declare it; the others skip them with a reason.
 */
public enum TransportCapability {

    /** {@code publish} returns after handlers ran, in the caller's thread, and throws their failures. */
    SYNCHRONOUS,

    /** Handlers run after {@code publish} returns, in other threads or processes; failures are not thrown. */
    ASYNCHRONOUS,

    /** Events survive a restart of the publishing process. */
    PERSISTENT,

    /** Failed subscriptions are retried per their retry policy. */
    RETRIES
}
