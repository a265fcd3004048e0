package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.redis.QueueNames;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisQueueVariables;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.WorkerQueues;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The Redis queue: {@code hexbus.redis.*} mapped onto the transport's settings records. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.hexbus.redis.RedisTransport")
@ConditionalOnHexbusTransport(HexbusTransport.REDIS)
@EnableConfigurationProperties(HexbusRedisProperties.class)
class HexbusRedisConfiguration {

    /** The Guice app's variables that say where Redis is, read when {@code hexbus.redis.url} is unset. */
    private static final Set<String> VARIABLES = Set.of("REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD",
            "REDIS_DB");

    @Bean(destroyMethod = "close")
    RedisTransport hexbusRedisTransport(HexbusProperties properties, HexbusRedisProperties redis,
                                        Environment environment, DomainEventsProcessor processor, EventCodec codec) {
        return RedisTransport.connect(connection(redis, environment), settings(properties, redis, environment),
                processor, codec);
    }

    static RedisConnectionSettings connection(HexbusRedisProperties redis, Environment environment) {
        if (redis.url() != null && !redis.url().isBlank()) {
            return PropertyChecks.apply("hexbus.redis.url", redis.url().trim(), null,
                    RedisConnectionSettings::fromUrl);
        }
        return RedisConnectionSettings.fromEnvironment(PropertyChecks.variables(environment, VARIABLES));
    }

    static RedisQueueSettings settings(HexbusProperties properties, HexbusRedisProperties redis,
                                       Environment environment) {
        String group = PropertyChecks.group(properties, environment);
        RedisQueueSettings settings = PropertyChecks.apply("hexbus.group='" + group + "'", group, null,
                RedisQueueSettings::defaults);
        settings = PropertyChecks.apply("hexbus.redis.key-prefix", redis.keyPrefix(), settings,
                settings::withKeyPrefix);
        settings = PropertyChecks.apply("hexbus.redis.concurrency", redis.concurrency(), settings,
                settings::withConcurrency);
        settings = PropertyChecks.apply("hexbus.redis.visibility-timeout", redis.visibilityTimeout(), settings,
                settings::withVisibilityTimeout);
        settings = PropertyChecks.apply("hexbus.redis.command-timeout", redis.commandTimeout(), settings,
                settings::withCommandTimeout);
        settings = PropertyChecks.apply("hexbus.redis.dedupe-window", redis.dedupeWindow(), settings,
                settings::withDedupeWindow);
        settings = settings.withRoutes(routes(redis, environment));
        return PropertyChecks.apply("hexbus.shutdown-deadline", properties.shutdownDeadline(), settings,
                settings::withShutdownDeadline);
    }

    /** One worker per set of {@code hexbus.redis.workers}, instead of {@code hexbus.workers} over every queue. */
    @Bean
    @ConditionalOnProperty(prefix = "hexbus.redis", name = "workers")
    HexbusWorkerSets hexbusRedisWorkerSets(HexbusProperties properties, HexbusRedisProperties redis,
                                           Environment environment, RedisTransport transport) {
        List<Supplier<QueueWorker>> starts = workerSets(redis, settings(properties, redis, environment)).stream()
                .<Supplier<QueueWorker>>map(set -> () -> transport.startWorker(set)).toList();
        return () -> starts;
    }

    /**
     * @param redis    {@code hexbus.redis.*}
     * @param settings the queue's settings, whose routes name the queues a set may consume
     * @return the worker sets, empty when {@code hexbus.redis.workers} is unset; a blank value is refused
     * @throws IllegalArgumentException naming {@code hexbus.redis.workers} and what is wrong in it
     */
    static List<WorkerQueues> workerSets(HexbusRedisProperties redis, RedisQueueSettings settings) {
        if (redis.workers() == null) {
            return List.of();
        }
        // A blank value is refused (it names no queue), never taken for no worker at all.
        try {
            return RedisQueueVariables.workers(redis.workers().trim(), settings.queues(), settings.concurrency());
        } catch (IllegalArgumentException refused) {
            // The parser speaks of the Guice app's variables; here the same values are these properties.
            throw new IllegalArgumentException(refused.getMessage()
                    .replace(RedisQueueVariables.WORKERS + "=", "hexbus.redis.workers=")
                    .replace(RedisQueueVariables.ROUTES, "hexbus.redis.routes"), refused);
        }
    }

    private static Map<String, String> routes(HexbusRedisProperties redis, Environment environment) {
        if (redis.routes().isEmpty()) {
            String variable = environment.getProperty(RedisQueueVariables.ROUTES);
            return variable == null || variable.isBlank() ? Map.of() : RedisQueueVariables.routes(variable.trim());
        }
        Map<String, String> routes = new LinkedHashMap<>();
        redis.routes().forEach((eventName, queue) -> routes.put(eventName, PropertyChecks.apply(
                "hexbus.redis.routes[" + eventName + "]", queue.trim(), null, QueueNames::check)));
        return routes;
    }
}
