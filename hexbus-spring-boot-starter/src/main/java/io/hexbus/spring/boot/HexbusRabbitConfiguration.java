package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.HashMap;
import java.util.Map;

/** The RabbitMQ queue: {@code hexbus.rabbitmq.*} mapped onto the transport's settings records. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.hexbus.rabbitmq.RabbitTransport")
@ConditionalOnHexbusTransport(HexbusTransport.RABBITMQ)
@EnableConfigurationProperties(HexbusRabbitProperties.class)
class HexbusRabbitConfiguration {

    @Bean(destroyMethod = "close")
    RabbitTransport hexbusRabbitTransport(HexbusProperties properties, HexbusRabbitProperties rabbit,
                                          Environment environment, DomainEventsProcessor processor,
                                          EventCodec codec) {
        return RabbitTransport.connect(connection(rabbit, environment), settings(properties, rabbit, environment),
                workers(properties, rabbit), processor, codec);
    }

    static RabbitConnectionSettings connection(HexbusRabbitProperties rabbit, Environment environment) {
        Map<String, String> variables = new HashMap<>(
                PropertyChecks.variables(environment, RabbitConnectionSettings.VARIABLES));
        if (rabbit.url() != null && !rabbit.url().isBlank()) {
            PropertyChecks.apply("hexbus.rabbitmq.url", rabbit.url().trim(), null, RabbitConnectionSettings::parse);
            variables.put(RabbitConnectionSettings.URL, rabbit.url().trim());
        }
        return RabbitConnectionSettings.fromEnvironment(variables);
    }

    static RabbitQueueSettings settings(HexbusProperties properties, HexbusRabbitProperties rabbit,
                                        Environment environment) {
        String group = PropertyChecks.group(properties, environment);
        RabbitQueueSettings settings = PropertyChecks.apply("hexbus.group='" + group + "'", group, null,
                RabbitQueueSettings::defaults);
        settings = PropertyChecks.apply("hexbus.rabbitmq.prefix", rabbit.prefix(), settings, settings::withPrefix);
        return PropertyChecks.apply("hexbus.rabbitmq.command-timeout", rabbit.commandTimeout(), settings,
                settings::withCommandTimeout);
    }

    static RabbitWorkerSettings workers(HexbusProperties properties, HexbusRabbitProperties rabbit) {
        RabbitWorkerSettings defaults = RabbitWorkerSettings.defaults();
        EngineSettings engine = defaults.engine().withShutdownDeadline(properties.shutdownDeadline());
        if (rabbit.concurrency() != null) {
            engine = engine.withConcurrency(rabbit.concurrency());
        }
        RabbitWorkerSettings workers = defaults.withEngine(engine);
        return PropertyChecks.apply("hexbus.rabbitmq.consumer-timeout", rabbit.consumerTimeout(), workers,
                workers::withConsumerTimeout);
    }
}
