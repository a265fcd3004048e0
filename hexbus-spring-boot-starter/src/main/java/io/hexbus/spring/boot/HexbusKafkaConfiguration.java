package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.KafkaWorkerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.HashMap;
import java.util.Map;

/** The Kafka queue: {@code hexbus.kafka.*} mapped onto the transport's settings records. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.hexbus.kafka.KafkaTransport")
@ConditionalOnHexbusTransport(HexbusTransport.KAFKA)
@EnableConfigurationProperties(HexbusKafkaProperties.class)
class HexbusKafkaConfiguration {

    @Bean(destroyMethod = "close")
    KafkaTransport hexbusKafkaTransport(HexbusProperties properties, HexbusKafkaProperties kafka,
                                        Environment environment, DomainEventsProcessor processor, EventCodec codec) {
        return KafkaTransport.connect(connection(kafka, environment), settings(properties, kafka, environment),
                workers(properties, kafka), processor, codec);
    }

    static KafkaConnectionSettings connection(HexbusKafkaProperties kafka, Environment environment) {
        Map<String, String> variables = new HashMap<>(
                PropertyChecks.variables(environment, KafkaConnectionSettings.VARIABLES));
        if (kafka.bootstrapServers() != null && !kafka.bootstrapServers().isBlank()) {
            PropertyChecks.apply("hexbus.kafka.bootstrap-servers", kafka.bootstrapServers(), null,
                    KafkaConnectionSettings::parse);
            variables.put(KafkaConnectionSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        }
        return KafkaConnectionSettings.fromEnvironment(variables);
    }

    static KafkaQueueSettings settings(HexbusProperties properties, HexbusKafkaProperties kafka,
                                       Environment environment) {
        String group = PropertyChecks.group(properties, environment);
        KafkaQueueSettings settings = PropertyChecks.apply("hexbus.group='" + group + "'", group, null,
                KafkaQueueSettings::defaults);
        settings = PropertyChecks.apply("hexbus.kafka.topic-prefix", kafka.topicPrefix(), settings,
                settings::withTopicPrefix);
        settings = PropertyChecks.apply("hexbus.kafka.partitions", kafka.partitions(), settings,
                settings::withPartitions);
        int factor = kafka.replicationFactor() == null ? settings.replicationFactor() : kafka.replicationFactor();
        int minInsync = kafka.minInsyncReplicas() == null ? Math.min(factor, settings.minInsyncReplicas())
                : kafka.minInsyncReplicas();
        KafkaQueueSettings replicated = settings;
        settings = PropertyChecks.apply("hexbus.kafka.replication-factor", factor, settings,
                value -> replicated.withReplication(value, minInsync));
        return PropertyChecks.apply("hexbus.kafka.command-timeout", kafka.commandTimeout(), settings,
                settings::withCommandTimeout);
    }

    static KafkaWorkerSettings workers(HexbusProperties properties, HexbusKafkaProperties kafka) {
        KafkaWorkerSettings defaults = KafkaWorkerSettings.defaults();
        EngineSettings engine = defaults.engine().withShutdownDeadline(properties.shutdownDeadline());
        if (kafka.concurrency() != null) {
            engine = engine.withConcurrency(kafka.concurrency());
        }
        return defaults.withEngine(engine);
    }
}
