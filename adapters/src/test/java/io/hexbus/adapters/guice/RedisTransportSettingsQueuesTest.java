package io.hexbus.adapters.guice;

import io.hexbus.redis.WorkerQueues;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The named-queue variables in the Redis module's settings. */
class RedisTransportSettingsQueuesTest {

    @Test
    void theSettingsCarryTheRoutesAndTheWorkerSets() {
        RedisTransportSettings settings = RedisTransportSettings.fromConfiguration(Map.of(
                "HEXBUS_QUEUE_ROUTES", "a.b=export", "HEXBUS_WORKERS", "export:2;default"), Duration.ofSeconds(5),
                Map.of("a.c", "mail"));

        assertEquals(Map.of("a.b", "export"), settings.queue().routes());
        assertEquals(List.of(WorkerQueues.equal(List.of("export"), 2), WorkerQueues.equal(List.of("default"), 4)),
                settings.workers());
        assertEquals(Map.of("a.c", "mail"), RedisTransportSettings.fromConfiguration(Map.of(), Duration.ofSeconds(5),
                Map.of("a.c", "mail")).queue().routes(), "the application's routes when the variable is unset");
    }
}
