package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Set;

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
        return PropertyChecks.apply("hexbus.shutdown-deadline", properties.shutdownDeadline(), settings,
                settings::withShutdownDeadline);
    }
}
