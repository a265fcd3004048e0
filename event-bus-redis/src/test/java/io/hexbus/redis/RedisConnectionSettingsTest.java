package io.hexbus.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
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

        assertEquals("REDIS_URL redis://app:***@redis.example:99999 is not a valid Redis URL: the port must be a"
                + " number from 1 to 65535", e.getMessage());
    }

    @Test
    void aPasswordWithoutAUserIsHiddenWhole() {
        IllegalArgumentException e = refused("REDIS_URL", "redis://" + SECRET + "@redis.example:6379/x");

        assertEquals("REDIS_URL redis://***@redis.example:6379/x is not a valid Redis URL: the path must be the"
                + " database number, like /0", e.getMessage());
    }

    // Before: Lettuce read redis://app:p@SECRET@host as the password p@SECRET, but cut a password at '#' or '?'.
    // Every unencoded '@' is now refused alike, and %40 is the way to write one.
    @Test
    void aPasswordHoldingARawAtSignIsRefusedWithoutQuotingItAndAnEncodedOneWorks() {
        IllegalArgumentException e = refused("REDIS_URL", "redis://app:p@" + SECRET + "@redis.example:6379/x");

        assertNoSecret(e.getMessage());
        assertFalse(e.getMessage().contains("redis.example"), "the URL is not quoted: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("REDIS_URL is not a valid Redis URL: its user name or password holds a"
                + " character that must be percent-encoded"), e.getMessage());
        assertEquals("p@" + SECRET, fromEnv("REDIS_URL", "redis://app:p%40" + SECRET + "@redis.example").password());
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

    // RFC 3986: these change where a URI parser ends the user information, so they must be percent-encoded.
    private static final String MUST_BE_ENCODED = "/?#[]@";
    // RFC 3986 sub-delims and ':' may stand unencoded in a password.
    private static final String MAY_STAND = ":!$&'()*+,;=";

    private static String urlWithPassword(String password) {
        return "redis://user:" + password + "@127.0.0.1:6430";
    }

    @Test
    void theIssuesExamplesAreRefusedWithoutQuotingThePasswordOrTheUrl() {
        for (String url : List.of("redis://user:SECRET#PW@127.0.0.1:6430", "redis://user:SECRET?PW@127.0.0.1:6430",
                "redis://SECRET#PW@127.0.0.1:6430")) {
            String message = assertThrows(IllegalArgumentException.class, () -> fromEnv("REDIS_URL", url), url)
                    .getMessage();

            assertTrue(message.startsWith("REDIS_URL is not a valid Redis URL: its user name or password holds a"
                    + " character that must be percent-encoded"), message);
            for (String part : List.of("SECRET", "PW", "127.0.0.1", "6430")) {
                assertFalse(message.contains(part), () -> "'" + part + "' shows in: " + message);
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/", "?", "#", "[", "]", "@", "%", "%4", "%zz", "%%41", " ", "\"", "<", "{", "|", "^",
            "`", "\t", "\u00e9"})
    void aCharacterThatMustBePercentEncodedIsRefusedRawWithoutQuotingAnyPartOfThePassword(String raw) {
        for (String url : List.of(urlWithPassword("Alpha" + raw + "Omega"), "redis://Alpha" + raw + "Omega@127.0.0.1",
                "redis://Alpha" + raw + "Omega:Gamma@127.0.0.1", "rediss://user:Alpha" + raw + "Omega@127.0.0.1/2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromEnv("REDIS_URL", url),
                    url);

            assertTrue(e.getMessage().startsWith("REDIS_URL is not a valid Redis URL: its user name or password"),
                    e.getMessage());
            for (String part : List.of("Alpha", "Omega", "Gamma", "127.0.0.1")) {
                assertFalse(e.getMessage().contains(part), () -> "'" + part + "' shows in: " + e.getMessage());
            }
            assertNull(e.getCause(), "the cause could quote the URL");
        }
    }

    @Test
    void everyReservedCharacterIsEitherRefusedRawOrReadIntoThePasswordAsWritten() {
        String reserved = ":/?#[]@!$&'()*+,;=";
        assertEquals(reserved.length(), MUST_BE_ENCODED.length() + MAY_STAND.length(), "every one is tested");
        for (char c : reserved.toCharArray()) {
            String password = "Alpha" + c + "Omega";
            if (MUST_BE_ENCODED.indexOf(c) >= 0) {
                String message = assertThrows(IllegalArgumentException.class,
                        () -> fromEnv("REDIS_URL", urlWithPassword(password)), password).getMessage();
                assertFalse(message.contains("Alpha") || message.contains("Omega"), message);
            } else {
                RedisConnectionSettings settings = fromEnv("REDIS_URL", urlWithPassword(password));
                assertEquals(new RedisConnectionSettings("127.0.0.1", 6430, false, "user", password, 0), settings,
                        password);
                assertFalse(settings.toString().contains("Alpha") || settings.toString().contains("Omega"),
                        settings::toString);
                assertFalse(settings.describe().contains("Alpha") || settings.describe().contains("Omega"),
                        settings::describe);
            }
        }
    }

    @Test
    void everyReservedCharacterPercentEncodedIsDecodedIntoThePasswordAndTheUserName() {
        for (char c : ":/?#[]@!$&'()*+,;=% \u00e9".toCharArray()) {
            String password = "Alpha" + c + "Omega";
            StringBuilder encoded = new StringBuilder();
            for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
            String upper = "Alpha" + encoded + "Omega";
            String lower = "Alpha" + encoded.toString().toLowerCase(java.util.Locale.ROOT) + "Omega";
            for (String written : List.of(upper, lower)) {
                RedisConnectionSettings settings = fromEnv("REDIS_URL", "redis://us" + encoded + "er:" + written
                        + "@127.0.0.1:6430/1");

                assertEquals(password, settings.password(), written);
                assertEquals("us" + c + "er", settings.username(), written);
                assertEquals("127.0.0.1", settings.host(), written);
                assertEquals(6430, settings.port(), written);
                assertEquals(1, settings.database(), written);
                assertFalse(settings.toString().contains("Alpha") || settings.toString().contains("Omega"),
                        settings::toString);
            }
        }
    }

    @Test
    void aPercentEncodedPasswordThatIsNotUtf8IsRefusedWithoutQuotingIt() {
        String message = refused("REDIS_URL", urlWithPassword("Alpha%C3Omega")).getMessage();

        assertEquals("REDIS_URL is not a valid Redis URL: its percent-encoded user name or password is not UTF-8",
                message);
    }

    @Test
    void aPortThatIsNotANumberFrom1To65535IsRefusedAtStartWithoutThePassword() {
        assertEquals("REDIS_URL redis://bob:***@127.0.0.1:abc is not a valid Redis URL: the port must be a number"
                + " from 1 to 65535", refused("REDIS_URL", "redis://bob:s3cret@127.0.0.1:abc").getMessage());
        for (String port : List.of("", "0", "65536", "+1", "-1", "1e3", "6379:1", "0x10", "99999999999", "63 79")) {
            String url = "redis://bob:" + SECRET + "@127.0.0.1:" + port;
            String message = assertThrows(IllegalArgumentException.class, () -> fromEnv("REDIS_URL", url), url)
                    .getMessage();

            assertTrue(message.startsWith("REDIS_URL redis://bob:***@127.0.0.1:"), message);
            assertTrue(message.endsWith("the port must be a number from 1 to 65535"), message);
            assertNoSecret(message);
        }
    }

    @Test
    void aHostThatIsNotAHostNameOrAnAddressIsRefusedAtStartWithoutThePassword() {
        for (String host : List.of("", "bad host", "256.1.1.1", "1.2.3", "1.2.3.4.5", "-lead.example",
                "trail-.example", "a..b", "[::1", "[zz::1]", "::1", "[::1]x", "[1.2.3.4]", "h\u00f6st", "a%2eb",
                "x".repeat(64) + ".example")) {
            String url = "redis://bob:" + SECRET + "@" + host + ":6379";
            String message = assertThrows(IllegalArgumentException.class, () -> fromEnv("REDIS_URL", url), url)
                    .getMessage();

            assertTrue(message.startsWith("REDIS_URL redis://bob:***@"), message);
            assertTrue(message.contains("is not a valid Redis URL: "), message);
            assertNoSecret(message);
        }
    }

    @Test
    void hostNamesIpv4AndBracketedIpv6AddressesAreAccepted() {
        assertEquals(new RedisConnectionSettings("::1", 6380, false, null, null, 0),
                fromEnv("REDIS_URL", "redis://[::1]:6380"));
        assertEquals("redis://[::1]:6380/0", fromEnv("REDIS_URL", "redis://[::1]:6380").describe());
        assertEquals("2001:db8::7", fromEnv("REDIS_URL", "redis://[2001:db8::7]/3").host());
        assertEquals("::ffff:10.0.0.5", fromEnv("REDIS_URL", "redis://[::ffff:10.0.0.5]").host());
        assertEquals("redis_1", fromEnv("REDIS_URL", "redis://redis_1:6379").host());
        assertEquals("Redis.Example.", fromEnv("REDIS_URL", "redis://Redis.Example.").host());
        assertEquals("10.0.0.5", fromEnv("REDIS_URL", "redis://10.0.0.5:1").host());
        assertEquals(65_535, fromEnv("REDIS_URL", "redis://10.0.0.5:65535/").port());
    }

    @Test
    void aQueryOrFragmentIsRefusedRatherThanIgnored() {
        assertEquals("REDIS_URL redis://redis.example:6379/0?timeout=5s is not a valid Redis URL: a query or fragment"
                        + " is not read; use redis://[user:password@]host[:port][/db]",
                refused("REDIS_URL", "redis://redis.example:6379/0?timeout=5s").getMessage());
        assertNoSecret(refused("REDIS_URL", "redis://app:" + SECRET + "@redis.example#x").getMessage());
    }

    @Test
    void aRedisHostThatIsNotAHostNameOrAnAddressIsNamedByItsVariableWithoutAPassword() {
        assertEquals("REDIS_HOST='bad host' is not a host name, an IPv4 address or an IPv6 address",
                refused("REDIS_HOST", "bad host").getMessage());
        assertEquals("REDIS_HOST='redis.example:6380' is not a host name, an IPv4 address or an IPv6 address",
                refused("REDIS_HOST", "redis.example:6380").getMessage());
        assertNoSecret(refused("REDIS_HOST", "app:" + SECRET + "@redis.example").getMessage());
        assertEquals("::1", fromEnv("REDIS_HOST", "::1").host());
        assertEquals("::1", fromEnv("REDIS_HOST", "[::1]").host());
        assertEquals("redis.example", fromEnv("REDIS_HOST", " redis.example ").host());
    }

    @Test
    void aRedisPortWithASignIsNotANumber() {
        assertEquals("REDIS_PORT='+6379' is not a number", refused("REDIS_PORT", "+6379").getMessage());
    }

    @Test
    void theHostIsCheckedWhateverBuildsTheSettings() {
        assertEquals("Redis host 'bad host' is not a host name, an IPv4 address or an IPv6 address",
                assertThrows(IllegalArgumentException.class,
                        () -> new RedisConnectionSettings("bad host", 6379, false, null, null, 0)).getMessage());
        assertEquals("::1", new RedisConnectionSettings("[::1]", 6379, false, null, null, 0).host());
    }
}
