/**
 * Fault tests of the outbox (issue 17) against a real PostgreSQL and, as the relay's target, the Redis transport, whose
 * real workers count each subscription's runs: an application or relay JVM killed, rollbacks, the transport down,
 * two relays racing, PostgreSQL restarted.
 */
package io.hexbus.outbox.faults;
