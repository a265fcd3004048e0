/**
 * The Kafka transport (issue 15); {@code docs/kafka-transport.md} is its design. {@link
 * io.hexbus.kafka.KafkaTransport} connects an application to a bus on Kafka ({@link
 * io.hexbus.kafka.KafkaQueueSettings}, {@link io.hexbus.kafka.KafkaConnectionSettings},
 * {@link io.hexbus.kafka.KafkaWorkerSettings}) and hands out its {@link io.hexbus.kafka.KafkaEventBus}, its workers
 * (the engine's, on a backend of one consumer each) and its {@link io.hexbus.kafka.KafkaQueueAdmin}. What it does
 * not do yet is listed on {@link io.hexbus.kafka.KafkaTransport} and in the docs: the settles are not
 * transactional, due times are taken on the worker's clock.
 */
package io.hexbus.kafka;
