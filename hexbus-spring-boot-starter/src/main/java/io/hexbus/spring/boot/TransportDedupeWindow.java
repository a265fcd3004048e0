package io.hexbus.spring.boot;

import io.hexbus.inmemory.InMemoryEventBusSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

import java.time.Duration;

/**
 * How long the chosen transport's bus remembers an event id, from the same settings its configuration builds, so
 * that the scheduler's catch-up stays within it as the Guice app's does. Each queue's settings are read in a nested
 * class of its own, loaded only when that queue is chosen (its jar may be absent otherwise). Pure functions.
 */
final class TransportDedupeWindow {

    private TransportDedupeWindow() {
    }

    static Duration of(HexbusTransportSelection selection, HexbusProperties properties, Environment environment,
                       ObjectProvider<HexbusRedisProperties> redis, ObjectProvider<HexbusKafkaProperties> kafka,
                       ObjectProvider<HexbusRabbitProperties> rabbit) {
        return switch (selection.transport()) {
            case REDIS -> Redis.of(properties, redis.getObject(), environment);
            case KAFKA -> Kafka.of(properties, kafka.getObject(), environment);
            case RABBITMQ -> Rabbit.of(properties, rabbit.getObject(), environment);
            // none dedupes nothing it would deliver; the Guice app takes the in-memory window there too
            case IN_MEMORY, NONE -> InMemoryEventBusSettings.DEFAULT.dedupeWindow();
        };
    }

    private static final class Redis {
        static Duration of(HexbusProperties properties, HexbusRedisProperties redis, Environment environment) {
            return HexbusRedisConfiguration.settings(properties, redis, environment).dedupeWindow();
        }
    }

    private static final class Kafka {
        static Duration of(HexbusProperties properties, HexbusKafkaProperties kafka, Environment environment) {
            return HexbusKafkaConfiguration.settings(properties, kafka, environment).dedupeWindow();
        }
    }

    private static final class Rabbit {
        static Duration of(HexbusProperties properties, HexbusRabbitProperties rabbit, Environment environment) {
            return HexbusRabbitConfiguration.settings(properties, rabbit, environment).dedupeWindow();
        }
    }
}
