package io.hexbus.rabbitmq;

import io.hexbus.api.transport.TransportUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StatsStream} on the real broker: reports appended and folded, checkpoints written and read back. */
class StatsStreamTest {

    private static final Duration STALENESS = Duration.ofSeconds(30);
    private static final long DEPARTED = 600_000;
    private static final long NOW = 1_764_770_000_000L;

    private TestStream testStream;
    private StatsStream stats;

    @BeforeEach
    void declare() throws Exception {
        testStream = new TestStream("stats", "1D");
        stats = new StatsStream(testStream.connection(), testStream.name(), Duration.ofSeconds(10));
    }

    @AfterEach
    void delete() throws Exception {
        testStream.close();
    }

    @Test
    void reportsAreFoldedIntoTheirLatestPerWorker() {
        assertEquals(0, stats.read(fold -> fold.totals(NOW, STALENESS)).workers(), "an empty stream reads as no worker");
        stats.report(new StatsReport("a", 1, 0, 0, 0, 0, 0, 0, 0, NOW - 2_000));
        stats.report(new StatsReport("b", 4, 1, 1, 1, 1, 1, 1, 0, NOW - 1_000));
        stats.report(new StatsReport("a", 5, 2, 0, 0, 3, 2, 3, 1, NOW));
        StatsFold.Totals totals = stats.read(fold -> fold.totals(NOW, STALENESS));
        assertEquals(new StatsFold.Totals(9, 3, 1, 1, 4, 3, 0, 1, 2, 2, 0), totals);
    }

    @Test
    void aCheckpointKeepsTheCountsOfDepartedWorkers() {
        stats.report(new StatsReport("gone", 10, 1, 0, 0, 0, 0, 0, 0, NOW - DEPARTED - 1));
        stats.report(new StatsReport("here", 5, 0, 0, 0, 0, 1, 1, 0, NOW));
        assertTrue(stats.checkpoint(DEPARTED, NOW));
        assertFalse(stats.checkpoint(DEPARTED, NOW), "nothing more departed");

        assertEquals(Map.of("gone", 0L), stats.read(fold -> fold.checkpoint().orElseThrow().absorbed()));
        StatsFold.Totals totals = stats.read(fold -> fold.totals(NOW, STALENESS));
        assertEquals(15, totals.completed());
        assertEquals(1, totals.failedAttempts());
        assertEquals(1, totals.workers());
        assertEquals(1, totals.active());
        assertThrows(IllegalArgumentException.class, () -> stats.checkpoint(0, NOW));
    }

    @Test
    void aMessageThatDoesNotDecodeIsSkippedAndCounted() throws Exception {
        testStream.appendRaw("2 1 0 0 0 0 0 0 0 1".getBytes(StandardCharsets.UTF_8));
        stats.report(new StatsReport("a", 1, 0, 0, 0, 0, 0, 0, 0, NOW));
        StatsFold.Totals totals = stats.read(fold -> fold.totals(NOW, STALENESS));
        assertEquals(1, totals.undecodable());
        assertEquals(1, totals.completed());
    }

    @Test
    void aMissingStreamFailsNamingIt() {
        String missing = testStream.name() + "-missing";
        StatsStream nowhere = new StatsStream(testStream.connection(), missing, Duration.ofSeconds(10));
        TransportUnavailableException failed = assertThrows(TransportUnavailableException.class,
                () -> nowhere.read(fold -> fold));
        assertTrue(failed.getMessage().contains("'" + missing + "'"), failed.getMessage());
    }
}
