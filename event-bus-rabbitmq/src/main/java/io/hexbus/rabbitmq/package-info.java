/**
 * The RabbitMQ transport (issue 16); {@code docs/rabbitmq-transport.md} is its design. An application's bus is a
 * topic exchange routed by event name; each application has a quorum work queue bound to it, retry tiers that
 * dead-letter due retries back, and three streams: the ledger (claims and settles, the record of handled ids),
 * the dead letters and the workers' statistics reports. {@link io.hexbus.rabbitmq.RabbitNames} names them all,
 * {@link io.hexbus.rabbitmq.RabbitTopology} declares them, {@link io.hexbus.rabbitmq.RabbitEventBus} publishes to
 * the bus; {@link io.hexbus.rabbitmq.RabbitConnectionSettings} says where the broker is.
 */
package io.hexbus.rabbitmq;
