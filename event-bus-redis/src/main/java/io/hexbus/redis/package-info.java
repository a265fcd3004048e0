/**
 * The Redis queue transport: {@link io.hexbus.redis.RedisTransport} connects, and hands out the
 * {@link io.hexbus.redis.RedisEventBus} (idempotent publish), workers ({@link io.hexbus.engine.worker.EngineWorker}s on a Redis backend)
 * (consumer-group workers with retries, dead letters and takeover of abandoned events) and the
 * {@link io.hexbus.redis.RedisQueueAdmin}; events may be routed to named queues, which workers consume by
 * {@link io.hexbus.redis.WorkerQueues}. See {@code docs/redis-transport.md} for the key layout and the life of an
 * event, {@code docs/scheduling.md} for named queues.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.redis;
