package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REDIS_URL and REDIS_HOST/PORT/PASSWORD/DB, and a password that never shows in text. */
class RedisConnectionSettingsTest {

    private static final String SECRET = "s3cr3t-Pa55";

    private static RedisConnectionSettings fromEnv(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return RedisConnectionSettings.fromEnvironment(env);
    }

    private static IllegalArgumentException refused(String... pairs) {
        return assertThrows(IllegalArgumentException.class, () -> fromEnv(pairs));
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(SECRET), () -> "the password shows in: " + text);
    }

    @Test
    void withoutVariablesItIsLocalhostOnTheDefaultPortAndDatabase() {
        assertEquals(new RedisConnectionSettings("localhost", 6379, false, null, null, 0), fromEnv());
    }

    @Test
    void aRedisUrlGivesHostPortAndDatabase() {
        assertEquals(new RedisConnectionSettings("redis.example", 6380, false, null, null, 3),
                fromEnv("REDIS_URL", "redis://redis.example:6380/3"));
    }

    @Test
    void aRedisUrlWithoutPortOrDatabaseUsesTheDefaults() {
        assertEquals(new RedisConnectionSettings("redis.example", 6379, false, null, null, 0),
                fromEnv("REDIS_URL", "redis://redis.example"));
    }

    @Test
    void aRedissUrlMeansTls() {
        RedisConnectionSettings settings = fromEnv("REDIS_URL", "rediss://redis.example:6380");

        assertTrue(settings.tls());
        assertEquals("rediss://redis.example:6380/0", settings.describe());
    }

    @Test
    void aRedisUrlCarriesUserAndPasswordForAcls() {
        RedisConnectionSettings settings = fromEnv("REDIS_URL", "redis://app:" + SECRET + "@redis.example:6379/2");

        assertEquals("app", settings.username());
        assertEquals(SECRET, settings.password());
        assertEquals(2, settings.database());
    }

    @Test
    void aRedisUrlWithAPasswordOnlyHasNoUser() {
        RedisConnectionSettings settings = fromEnv("REDIS_URL", "redis://:" + SECRET + "@redis.example");

        assertNull(settings.username());
        assertEquals(SECRET, settings.password());
    }

    @Test
    void theUrlWinsOverTheSeparateVariables() {
        RedisConnectionSettings settings = fromEnv("REDIS_URL", " redis://url-host:7000 ", "REDIS_HOST", "other",
                "REDIS_PORT", "1234");

        assertEquals("url-host", settings.host());
        assertEquals(7000, settings.port());
    }

    @Test
    void aBlankUrlFallsBackToTheSeparateVariables() {
        assertEquals("other", fromEnv("REDIS_URL", "  ", "REDIS_HOST", "other").host());
    }

    @Test
    void theSeparateVariablesGiveHostPortPasswordAndDatabase() {
        assertEquals(new RedisConnectionSettings("cache.internal", 6390, false, null, SECRET, 5),
                fromEnv("REDIS_HOST", "cache.internal", "REDIS_PORT", " 6390 ", "REDIS_PASSWORD", SECRET,
                        "REDIS_DB", "5"));
    }

    @Test
    void anEmptyPasswordMeansNone() {
        assertNull(fromEnv("REDIS_PASSWORD", "").password());
    }

    @Test
    void aPortThatIsNotANumberIsNamedByItsVariable() {
        assertEquals("REDIS_PORT='six' is not a number", refused("REDIS_PORT", "six").getMessage());
    }

    @Test
    void aDatabaseThatIsNotANumberIsNamedByItsVariable() {
        assertEquals("REDIS_DB='first' is not a number", refused("REDIS_DB", "first").getMessage());
    }

    @Test
    void aPortOutOfRangeIsNamedByItsVariable() {
        assertEquals("REDIS_PORT=70000 is out of range 1-65535", refused("REDIS_PORT", "70000").getMessage());
        assertEquals("REDIS_PORT=0 is out of range 1-65535", refused("REDIS_PORT", "0").getMessage());
    }

    @Test
    void aNegativeDatabaseIsNamedByItsVariable() {
        assertEquals("REDIS_DB=-1 is negative", refused("REDIS_DB", "-1").getMessage());
    }

    @Test
    void aBlankHostIsNamedByItsVariable() {
        assertEquals("REDIS_HOST is blank", refused("REDIS_HOST", "  ").getMessage());
    }

    @Test
    void aUrlThatIsNotRedisIsRefusedWithoutItsPassword() {
        IllegalArgumentException e = refused("REDIS_URL", "http://app:" + SECRET + "@redis.example:6379");

        assertEquals("REDIS_URL must start with redis:// or rediss://, got http://app:***@redis.example:6379",
                e.getMessage());
    }

    @Test
    void noMalformedUrlEverShowsItsPassword() {
        List<String> urls = List.of(
                "http://app:" + SECRET + "@redis.example",
                "HTTP://:" + SECRET + "@redis.example",
                "REDIS://app:" + SECRET + "@redis.example",
                "app:" + SECRET + "@redis.example:6379",
                "redis//app:" + SECRET + "@redis.example",
                "tcp://" + SECRET + "@redis.example",
                "http://app:" + SECRET + "@with@at@redis.example",
                "redis://app:" + SECRET + "@redis.example:6379/not-a-db",
                "redis://app:" + SECRET + "@redis.example:99999",
                "redis://" + SECRET + "@redis.example:6379/not-a-db",
                "rediss://app:p@" + SECRET + "@redis.example:6379/not-a-db");
        for (String url : urls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fromEnv("REDIS_URL", url), url);

            assertNoSecret(e.getMessage());
            assertTrue(e.getMessage().startsWith("REDIS_URL "), e.getMessage());
            assertNull(e.getCause(), "the cause could quote the URL");
        }
    }

    @Test
    void anInvalidRedisUrlIsQuotedWithoutItsPassword() {
        IllegalArgumentException e = refused("REDIS_URL", "redis://app:" + SECRET + "@redis.example:99999");

        assertEquals("REDIS_URL redis://app:***@redis.example:99999 is not a valid Redis URL", e.getMessage());
    }

    @Test
    void aPasswordWithoutAUserIsHiddenWhole() {
        IllegalArgumentException e = refused("REDIS_URL", "redis://" + SECRET + "@redis.example:6379/x");

        assertEquals("REDIS_URL redis://***@redis.example:6379/x is not a valid Redis URL", e.getMessage());
    }

    @Test
    void aPasswordHoldingAnAtSignIsHiddenWhole() {
        RedisConnectionSettings settings = fromEnv("REDIS_URL", "redis://app:p@" + SECRET + "@redis.example");
        IllegalArgumentException e = refused("REDIS_URL", "redis://app:p@" + SECRET + "@redis.example:6379/x");

        assertEquals("p@" + SECRET, settings.password());
        assertEquals("REDIS_URL redis://app:***@redis.example:6379/x is not a valid Redis URL", e.getMessage());
    }

    @Test
    void toStringAndDescribeNeverShowThePassword() {
        RedisConnectionSettings fromUrl = fromEnv("REDIS_URL", "rediss://app:" + SECRET + "@redis.example:6380/4");
        RedisConnectionSettings fromVariables = fromEnv("REDIS_PASSWORD", SECRET);

        assertEquals("rediss://app@redis.example:6380/4", fromUrl.describe());
        assertEquals("RedisConnectionSettings[rediss://app@redis.example:6380/4, password=***]", fromUrl.toString());
        assertEquals("RedisConnectionSettings[redis://localhost:6379/0, password=***]", fromVariables.toString());
        assertEquals("RedisConnectionSettings[redis://localhost:6379/0]", fromEnv().toString());
        for (RedisConnectionSettings settings : List.of(fromUrl, fromVariables)) {
            assertNoSecret(settings.toString());
            assertNoSecret(settings.describe());
        }
    }

    @Test
    void theComponentsAreChecked() {
        assertEquals("Redis host is blank", assertThrows(IllegalArgumentException.class,
                () -> new RedisConnectionSettings(" ", 6379, false, null, null, 0)).getMessage());
        assertEquals("Redis port 65536 is out of range 1-65535", assertThrows(IllegalArgumentException.class,
                () -> new RedisConnectionSettings("h", 65_536, false, null, null, 0)).getMessage());
        assertEquals("Redis database -2 is negative", assertThrows(IllegalArgumentException.class,
                () -> new RedisConnectionSettings("h", 6379, false, null, null, -2)).getMessage());
    }
}
