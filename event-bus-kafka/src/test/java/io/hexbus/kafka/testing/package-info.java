/**
 * Real Kafka brokers for the transport's tests, started from Kafka's jars on the test class path in child JVMs
 * (KRaft, no ZooKeeper, no Docker): the shared one ({@code KAFKA_BOOTSTRAP_SERVERS}, else a single node started
 * once per test JVM) and private clusters that a test may take nodes of down and up again.
 */
package io.hexbus.kafka.testing;
