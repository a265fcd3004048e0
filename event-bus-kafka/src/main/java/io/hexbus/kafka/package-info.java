/**
 * The Kafka transport (issue 15). In progress: today only {@link io.hexbus.kafka.KafkaConnectionSettings}, and
 * in the test sources the fixture that starts real KRaft brokers for the transport's tests
 * ({@code io.hexbus.kafka.testing.TestKafka}); no {@code EventBus} on Kafka yet.
 */
package io.hexbus.kafka;
