package io.hexbus.redis;

import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker that cannot start leaves no thread of its own behind. */
class FailedWorkerStartTest extends RedisTransportTestBase {

    @Test
    void aWorkerWhoseGroupCannotBeCreatedFailsAndLeavesNoThreadRunning() {
        RedisTestTransport redis = transport();
        redis.raw().set(redis.streamKey(), "not a stream"); // XGROUP CREATE ... MKSTREAM answers WRONGTYPE
        Set<Thread> before = hexbusThreads();

        RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class, redis::startWorker);

        assertTrue(thrown.getMessage().startsWith("cannot start a worker on "), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("WRONGTYPE"), thrown.getMessage());
        await("the failed worker's threads ended").atMost(Duration.ofSeconds(10)).until(() -> {
            Set<Thread> left = hexbusThreads();
            left.removeAll(before);
            return left.isEmpty();
        });
    }

    private static Set<Thread> hexbusThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("hexbus-")).collect(Collectors.toSet());
    }
}
