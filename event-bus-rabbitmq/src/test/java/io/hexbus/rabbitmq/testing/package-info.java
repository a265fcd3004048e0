/**
 * The real RabbitMQ every transport test talks to ({@code RABBITMQ_URL}, else the local broker), and the names a test
 * uses on it, unique per test and deleted after.
 */
package io.hexbus.rabbitmq.testing;
