package io.hexbus.redis.testing;

import io.hexbus.redis.RedisConnectionSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.Optional;

/** The third choice of {@link TestRedis}: a {@code redis:7} container, when Docker is available. */
final class TestcontainersRedis {

    private TestcontainersRedis() {
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    static Optional<RedisConnectionSettings> start() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
        } catch (RuntimeException noDocker) {
            return Optional.empty();
        }
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(6379);
        redis.start();
        return Optional.of(new RedisConnectionSettings(redis.getHost(), redis.getMappedPort(6379), false, null, null,
                0));
    }
}
