package io.hexbus.kafka;

import io.hexbus.engine.worker.EngineSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaWorkerSettingsTest {

    @Test
    void theDefaultsReadFarAheadAndOnlyALittleWhileRecovering() {
        KafkaWorkerSettings defaults = KafkaWorkerSettings.defaults();

        assertEquals(KafkaWorkerSettings.DEFAULT_READ_AHEAD, defaults.engine().readAhead());
        assertEquals(KafkaWorkerSettings.DEFAULT_RECOVERY_READ_AHEAD, defaults.recoveryReadAhead());
        assertEquals(defaults.engine().concurrency() + 64, defaults.recoveryHold(),
                "the handler slots and the engine's own default read-ahead");
        assertEquals(Duration.ofSeconds(45), defaults.sessionTimeout());
    }

    @Test
    void everyKnobHasAWitherAndTheOthersStay() {
        KafkaWorkerSettings settings = KafkaWorkerSettings.defaults().withRecoveryReadAhead(0)
                .withEngine(EngineSettings.defaults().withConcurrency(3)).withSessionTimeout(Duration.ofSeconds(10));

        assertEquals(0, settings.recoveryReadAhead());
        assertEquals(3, settings.recoveryHold(), "no read-ahead while recovering: the slots only");
        assertEquals(Duration.ofSeconds(10), settings.sessionTimeout());
        assertEquals(KafkaWorkerSettings.DEFAULT_RECOVERY_READ_AHEAD,
                new KafkaWorkerSettings(EngineSettings.defaults(), Duration.ofSeconds(6)).recoveryReadAhead());
    }

    @Test
    void aNegativeRecoveryReadAheadIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaWorkerSettings.defaults().withRecoveryReadAhead(-1));
        assertTrue(e.getMessage().contains("recoveryReadAhead"), e.getMessage());
    }
}
