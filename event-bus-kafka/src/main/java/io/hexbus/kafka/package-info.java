/**
 * The Kafka transport (issue 15), in progress; {@code docs/kafka-transport.md} is its design. Usable today:
 * {@link io.hexbus.kafka.KafkaEventBus}, which publishes to a bus's events topic ({@link
 * io.hexbus.kafka.KafkaQueueSettings}, {@link io.hexbus.kafka.KafkaConnectionSettings}), and
 * {@link io.hexbus.kafka.KafkaQueueAdmin}, the statistics and dead letters of a Kafka queue. Built and tested but not
 * yet wired into a worker: the retry tiers, the record of handled ids and held keys, and the consumer side's
 * decisions (offsets to commit, one record per ordering key, retry tiers, progress in headers).
 * There is no worker and no {@code QueuedTransport} on Kafka yet: nothing consumes what is published.
 */
package io.hexbus.kafka;
