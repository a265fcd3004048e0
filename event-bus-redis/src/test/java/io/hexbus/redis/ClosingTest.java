package io.hexbus.redis;

import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Closing a Redis transport twice. Closing workers and transports from several threads at once is in the queued
 * contract ({@code RedisQueuedTransportContractTest}).
 */
class ClosingTest extends RedisTransportTestBase {

    @Test
    void closingATransportTwiceIsASilentNoOp() {
        RedisTestTransport redis = transport();
        redis.startWorker();
        redis.transport().close();

        try (LogLines log = LogLines.capture()) {
            redis.transport().close();
            assertEquals(List.of(), log.containing("already closed"));
            assertEquals(List.of(), log.containing("WARN"));
        }
        assertThrows(IllegalStateException.class, () -> redis.transport().startWorker());
    }
}
