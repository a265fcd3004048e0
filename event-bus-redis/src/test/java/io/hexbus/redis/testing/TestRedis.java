package io.hexbus.redis.testing;

import io.hexbus.redis.RedisConnectionSettings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Redis every transport test talks to, found in this order: {@code REDIS_URL} if set; else a
 * {@code redis-server} from the PATH, started on a free port; else a Testcontainers {@code redis:7}; else
 * the test fails with a message saying how to get Redis. Never skipped. Started once per test JVM; tests
 * share it and isolate themselves with unique key prefixes, never FLUSHALL.
 */
public final class TestRedis {

    private static RedisConnectionSettings shared;

    private TestRedis() {
    }

    /**
     * @return how to reach the shared test Redis, starting it on first use
     * @throws IllegalStateException if no Redis can be had, saying how to get one
     */
    public static synchronized RedisConnectionSettings shared() {
        if (shared == null) {
            shared = find();
        }
        return shared;
    }

    /**
     * Starts a private {@code redis-server} that the test may stop, freeze or restart.
     *
     * @param extraArgs more configuration, e.g. {@code --appendonly yes}
     * @return the running server; close it when done
     */
    public static RedisServerProcess startPrivate(String... extraArgs) {
        String executable = redisServerOnPath().orElseThrow(() -> new IllegalStateException(
                "this test starts and stops its own Redis and needs redis-server on the PATH: " + HOW_TO_GET_REDIS));
        try {
            return RedisServerProcess.start(executable, extraArgs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    private static final String HOW_TO_GET_REDIS = "set REDIS_URL=redis://host:port, or install redis-server"
            + " (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), or start Docker for"
            + " Testcontainers";

    private static RedisConnectionSettings find() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return RedisConnectionSettings.fromUrl(url.trim());
        }
        Optional<String> executable = redisServerOnPath();
        if (executable.isPresent()) {
            try {
                return RedisServerProcess.start(executable.get()).connection();
            } catch (IOException e) {
                throw new IllegalStateException("redis-server is on the PATH but did not start: " + e.getMessage(), e);
            }
        }
        return TestcontainersRedis.start().orElseThrow(() -> new IllegalStateException(
                "no Redis for the tests: REDIS_URL is not set, redis-server is not on the PATH and Docker is not"
                        + " available for Testcontainers; " + HOW_TO_GET_REDIS));
    }

    private static Optional<String> redisServerOnPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
