/**
 * The PostgreSQL test fixture ({@link io.hexbus.outbox.testing.TestPostgres}), shipped in this module's test-jar for
 * the adapters' tests of the sample on PostgreSQL and the benchmarks.
 */
package io.hexbus.outbox.testing;
