/**
 * What the queued transports' fault tests share: the event they publish ({@link io.hexbus.api.testing.faults.ParcelSent})
 * and its publisher, the handlers' run log and its reading, and the audit of a run (nothing confirmed lost, nothing
 * recorded done run again). Each transport supplies what the group recorded done, from its own store.
 */
package io.hexbus.api.testing.faults;
