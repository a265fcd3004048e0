package io.hexbus.redis;

import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where Redis is and how to log in. Immutable. {@link #toString()} never shows the password.
 *
 * @param host     the host name or address
 * @param port     the port, 1 to 65535
 * @param tls      whether to connect with TLS ({@code rediss://})
 * @param username the ACL user, or null for the default user
 * @param password the password, or null when none is needed
 * @param database the database number, 0 or more
 */
public record RedisConnectionSettings(String host, int port, boolean tls, String username, String password,
                                      int database) {

    /**
     * Checks the components.
     *
     * @param host     the host name or address
     * @param port     the port
     * @param tls      whether to use TLS
     * @param username the ACL user, or null
     * @param password the password, or null
     * @param database the database number
     * @throws IllegalArgumentException naming the component out of bounds
     */
    public RedisConnectionSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Redis host is blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Redis port " + port + " is out of range 1-65535");
        }
        if (database < 0) {
            throw new IllegalArgumentException("Redis database " + database + " is negative");
        }
    }

    /**
     * Reads {@code REDIS_URL} ({@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for
     * TLS), or else {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD} and {@code REDIS_DB};
     * with neither, {@code localhost:6379}.
     *
     * @param environment the environment variables
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is invalid (never quoting a password)
     */
    public static RedisConnectionSettings fromEnvironment(Map<String, String> environment) {
        String url = environment.get("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return fromUrl(url.trim());
        }
        String host = environment.getOrDefault("REDIS_HOST", "localhost");
        if (host.isBlank()) {
            throw new IllegalArgumentException("REDIS_HOST is blank");
        }
        int port = parseInt(environment, "REDIS_PORT", 6379);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("REDIS_PORT=" + port + " is out of range 1-65535");
        }
        int db = parseInt(environment, "REDIS_DB", 0);
        if (db < 0) {
            throw new IllegalArgumentException("REDIS_DB=" + db + " is negative");
        }
        String password = environment.get("REDIS_PASSWORD");
        return new RedisConnectionSettings(host, port, false, null,
                password == null || password.isEmpty() ? null : password, db);
    }

    /**
     * @param url a {@code redis://} or {@code rediss://} URL
     * @return the settings it describes
     * @throws IllegalArgumentException if it is not such a URL; the message shows it without its password
     */
    public static RedisConnectionSettings fromUrl(String url) {
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://, got "
                    + redact(url));
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("REDIS_URL " + redact(url) + " is not a valid Redis URL", null);
        }
        char[] password = uri.getPassword();
        return new RedisConnectionSettings(uri.getHost(), uri.getPort(), uri.isSsl(), uri.getUsername(),
                password == null || password.length == 0 ? null : new String(password), uri.getDatabase());
    }

    /**
     * @param connectTimeout how long connecting and each command may take
     * @return the Lettuce URI
     */
    RedisURI toRedisUri(Duration connectTimeout) {
        RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withSsl(tls)
                .withDatabase(database).withTimeout(connectTimeout);
        if (password != null) {
            if (username != null) {
                builder.withAuthentication(username, password.toCharArray());
            } else {
                builder.withPassword(password.toCharArray());
            }
        }
        return builder.build();
    }

    /**
     * @return where Redis is, for logs and error messages: scheme, user, host, port and database, no password
     */
    public String describe() {
        return (tls ? "rediss://" : "redis://") + (username != null ? username + "@" : "") + host + ":" + port
                + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisConnectionSettings[" + describe() + (password != null ? ", password=***" : "") + "]";
    }

    private static int parseInt(Map<String, String> environment, String variable, int fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "='" + value + "' is not a number");
        }
    }

    // Hides everything between the scheme and the last '@' but a user name before a ':', whatever the scheme
    // (a URL that is not redis:// is quoted in an error too), and even when the password holds '@' or ':'.
    // Without a ':' the whole user part goes: Lettuce reads redis://secret@host as a password.
    private static String redact(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int scheme = url.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        int colon = url.indexOf(':', start);
        String user = colon >= 0 && colon < at ? url.substring(start, colon + 1) : "";
        return url.substring(0, start) + user + "***" + url.substring(at);
    }
}
