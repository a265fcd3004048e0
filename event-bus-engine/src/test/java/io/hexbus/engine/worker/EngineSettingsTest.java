package io.hexbus.engine.worker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Read-ahead: how much a worker reads per fetch and holds beyond its slots. */
class EngineSettingsTest {

    @Test
    void aWorkerReadsItsReadAheadPerFetch() {
        assertEquals(64, EngineSettings.defaults().readLimit());
    }

    @Test
    void withoutReadAheadAWorkerReadsOnlyWhatItsSlotsCanStart() {
        EngineSettings none = EngineSettings.defaults().withConcurrency(3).withReadAhead(0);

        assertEquals(0, none.readAhead());
        assertEquals(3, none.readLimit());
    }

    @Test
    void aNegativeReadAheadIsRefused() {
        assertEquals("readAhead must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> EngineSettings.defaults().withReadAhead(-1)).getMessage());
    }
}
