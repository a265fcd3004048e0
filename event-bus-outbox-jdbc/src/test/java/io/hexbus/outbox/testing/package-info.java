/**
 * The PostgreSQL test fixture ({@link io.hexbus.outbox.testing.TestPostgres}, and
 * {@link io.hexbus.outbox.testing.PostgresDatabase} for one per test class), shipped in this module's test-jar for
 * the adapters' tests of the sample on PostgreSQL and the benchmarks.
 */
package io.hexbus.outbox.testing;
