package io.hexbus.spring.boot;

import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaWorkerSettings;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitWorkerSettings;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each queue's properties onto its transport's settings records, without a broker. */
class TransportSettingsMappingTest {

    private static final HexbusProperties DEFAULTS = new HexbusProperties(null, null, HexbusMode.ALL, null,
            Duration.ofSeconds(12), 1, Map.of());

    private final MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name",
            "billing");

    @Test
    void redisPropertiesOverrideTheRecordsDefaultsAndTheGroupIsTheApplicationsName() {
        HexbusRedisProperties redis = new HexbusRedisProperties("redis://cache.internal:6380/2", "billing:{events}",
                8, Duration.ofSeconds(45), Duration.ofSeconds(3), Duration.ofDays(2), null, null);

        RedisQueueSettings settings = HexbusRedisConfiguration.settings(DEFAULTS, redis, environment);
        RedisConnectionSettings connection = HexbusRedisConfiguration.connection(redis, environment);

        assertThat(settings.group()).isEqualTo("billing");
        assertThat(settings.keyPrefix()).isEqualTo("billing:{events}");
        assertThat(settings.concurrency()).isEqualTo(8);
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.dedupeWindow()).isEqualTo(Duration.ofDays(2));
        assertThat(settings.shutdownDeadline()).isEqualTo(Duration.ofSeconds(12));
        assertThat(connection.host()).isEqualTo("cache.internal");
        assertThat(connection.port()).isEqualTo(6380);
        assertThat(connection.database()).isEqualTo(2);
    }

    @Test
    void withoutAUrlRedisIsWhereTheGuiceAppsVariablesSay() {
        environment.setProperty("REDIS_HOST", "redis.internal");
        environment.setProperty("REDIS_PORT", "6390");

        RedisConnectionSettings connection = HexbusRedisConfiguration.connection(
                new HexbusRedisProperties(null, null, null, null, null, null, null, null), environment);

        assertThat(connection.host()).isEqualTo("redis.internal");
        assertThat(connection.port()).isEqualTo(6390);
    }

    @Test
    void aGroupTheQueueRefusesIsNamedWithItsValue() {
        HexbusProperties spaced = new HexbusProperties(null, null, HexbusMode.ALL, "two words", Duration.ofSeconds(1),
                1, Map.of());

        assertThatThrownBy(() -> HexbusRedisConfiguration.settings(spaced,
                new HexbusRedisProperties(null, null, null, null, null, null, null, null), environment))
                .hasMessageStartingWith("hexbus.group='two words' is not allowed");
    }

    @Test
    void kafkaPropertiesOverrideTheRecordsDefaults() {
        HexbusKafkaProperties kafka = new HexbusKafkaProperties("k1:9092,k2:9092", "billing.events", 12, 3, 2,
                Duration.ofSeconds(20), 6);

        KafkaConnectionSettings connection = HexbusKafkaConfiguration.connection(kafka, environment);
        KafkaQueueSettings settings = HexbusKafkaConfiguration.settings(DEFAULTS, kafka, environment);
        KafkaWorkerSettings workers = HexbusKafkaConfiguration.workers(DEFAULTS, kafka);

        assertThat(connection.bootstrapServers()).containsExactly("k1:9092", "k2:9092");
        assertThat(settings.topicPrefix()).isEqualTo("billing.events");
        assertThat(settings.group()).isEqualTo("billing");
        assertThat(settings.partitions()).isEqualTo(12);
        assertThat(settings.replicationFactor()).isEqualTo((short) 3);
        assertThat(settings.minInsyncReplicas()).isEqualTo(2);
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(workers.engine().concurrency()).isEqualTo(6);
        assertThat(workers.engine().shutdownDeadline()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aTopicPrefixKafkaRefusesNamesTheProperty() {
        HexbusKafkaProperties kafka = new HexbusKafkaProperties(null, "bad prefix!", null, null, null, null, null);

        assertThatThrownBy(() -> HexbusKafkaConfiguration.settings(DEFAULTS, kafka, environment))
                .hasMessageStartingWith("hexbus.kafka.topic-prefix is not allowed");
    }

    @Test
    void rabbitPropertiesOverrideTheRecordsDefaults() {
        HexbusRabbitProperties rabbit = new HexbusRabbitProperties("amqp://app:secret@mq.internal:5673/billing",
                "billing-bus", Duration.ofSeconds(9), Duration.ofHours(1), 5);

        RabbitConnectionSettings connection = HexbusRabbitConfiguration.connection(rabbit, environment);
        RabbitQueueSettings settings = HexbusRabbitConfiguration.settings(DEFAULTS, rabbit, environment);
        RabbitWorkerSettings workers = HexbusRabbitConfiguration.workers(DEFAULTS, rabbit);

        assertThat(connection.host()).isEqualTo("mq.internal");
        assertThat(connection.port()).isEqualTo(5673);
        assertThat(connection.username()).isEqualTo("app");
        assertThat(settings.prefix()).isEqualTo("billing-bus");
        assertThat(settings.group()).isEqualTo("billing");
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(workers.consumerTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(workers.engine().concurrency()).isEqualTo(5);
        assertThat(rabbit.toString()).doesNotContain("secret");
    }
}
