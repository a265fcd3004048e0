package io.hexbus.spring.boot;

import io.hexbus.api.transport.QueueWorker;

import java.util.List;
import java.util.function.Supplier;

/**
 * The workers a consuming process starts when a transport configures them itself, instead of {@code hexbus.workers}
 * alike workers: on Redis, one worker per set of named queues of {@code hexbus.redis.workers}. {@link HexbusWorkers}
 * calls each start in order when the context starts.
 */
@FunctionalInterface
public interface HexbusWorkerSets {

    /**
     * @return one start per worker, each blocking until its worker runs and throwing
     *         {@link io.hexbus.api.transport.TransportUnavailableException} when the broker cannot be used
     */
    List<Supplier<QueueWorker>> starts();
}
