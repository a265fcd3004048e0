/**
 * The Kafka transport's faults of issue 15, against real brokers: a worker JVM killed mid-handler, a rebalance while
 * handlers run, a broker of three killed and restarted, every broker cut off, poison records and a handler past its
 * timeout. Handlers record every run in files ({@link io.hexbus.api.testing.faults.RunLog}) and the group's handled ids are
 * read from its state topic, so each test checks that nothing acknowledged to a publisher was lost and that no
 * subscription ran again once its event was recorded done ({@link io.hexbus.api.testing.faults.DeliveryAudit}).
 */
package io.hexbus.kafka.faults;
