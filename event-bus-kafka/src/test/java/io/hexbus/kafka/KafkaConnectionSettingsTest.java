package io.hexbus.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KAFKA_BOOTSTRAP_SERVERS's form: host:port addresses separated by commas. */
class KafkaConnectionSettingsTest {

    @Test
    void addressesSeparatedByCommasKeepTheirOrderWithoutBlanks() {
        KafkaConnectionSettings settings = KafkaConnectionSettings.parse(" kafka-2:9092, 10.0.0.1:19092 ,[::1]:9093");

        assertEquals(List.of("kafka-2:9092", "10.0.0.1:19092", "[::1]:9093"), settings.bootstrapServers());
        assertEquals(Map.of("bootstrap.servers", "kafka-2:9092,10.0.0.1:19092,[::1]:9093"), settings.clientProperties());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "kafka", "kafka:", ":9092", "kafka:0", "kafka:65536", "kafka:+9092", "::1:9092",
            "kafka:9092,", "kafka:9092,,kafka-2:9092", "[]:9092", "user@kafka:9092", "kafka :9092"})
    void anAddressThatIsNotHostAndPortIsRefusedByName(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaConnectionSettings.parse(value));

        assertTrue(refused.getMessage().contains("is not host:port"), refused.getMessage());
    }

    @Test
    void noAddressIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KafkaConnectionSettings(List.of()));
    }
}
