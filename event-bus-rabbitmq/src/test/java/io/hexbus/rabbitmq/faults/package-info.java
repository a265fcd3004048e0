/**
 * The RabbitMQ transport's faults of issue 16, against real brokers: a worker JVM killed mid-handler, a broker
 * restarted and its connections closed mid-run (on a node of the test's own,
 * {@link io.hexbus.rabbitmq.testing.PrivateRabbitNode}), poison messages and a handler past its timeout. Handlers
 * record every run in files ({@link io.hexbus.api.testing.faults.RunLog}) and the application's {@code done} settles are
 * read from its ledger stream ({@link io.hexbus.rabbitmq.faults.LedgerTail}), so each test checks that nothing
 * confirmed to a publisher was lost and that no subscription ran again once its event was recorded done
 * ({@link io.hexbus.api.testing.faults.DeliveryAudit}).
 */
package io.hexbus.rabbitmq.faults;
