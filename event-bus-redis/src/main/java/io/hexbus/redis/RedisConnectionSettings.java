package io.hexbus.redis;

import io.hexbus.api.transport.ConnectionUri;
import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where Redis is and how to log in. Immutable. {@link #toString()} never shows the password.
 *
 * @param host     the host name, IPv4 address or IPv6 address (without brackets)
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
     * @throws IllegalArgumentException naming the component out of bounds, or a host that is not a host name,
     *                                  an IPv4 address or an IPv6 address (with or without brackets)
     */
    public RedisConnectionSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Redis host is blank");
        }
        if (!ConnectionUri.isHost(host)) {
            throw new IllegalArgumentException("Redis host '" + host + "' is not a host name, an IPv4 address or an"
                    + " IPv6 address");
        }
        if (host.startsWith("[")) { // one form of an IPv6 address, so that equal settings are equal
            host = host.substring(1, host.length() - 1);
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
        String host = environment.getOrDefault("REDIS_HOST", "localhost").trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("REDIS_HOST is blank");
        }
        if (!ConnectionUri.isHost(host)) {
            throw new IllegalArgumentException("REDIS_HOST='" + ConnectionUri.redact(host) + "' is not a host name,"
                    + " an IPv4 address or an IPv6 address");
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
     * Reads {@code redis://[user[:password]@]host[:port][/db]}, or {@code rediss://} for TLS. The user name and
     * the password are percent-decoded; in them, every character but letters, digits, {@code -._~},
     * {@code !$&'()*+,;=} and (in the password) {@code :} must be percent-encoded ({@code @} as {@code %40},
     * {@code #} as {@code %23}, {@code /} as {@code %2F}, {@code ?} as {@code %3F}, {@code %} as {@code %25}).
     * The host is a host name, an IPv4 address or an IPv6 address in brackets; the port 1 to 65535 (default 6379);
     * the database a number (default 0). A query or fragment is refused, not ignored.
     *
     * @param url a {@code redis://} or {@code rediss://} URL
     * @return the settings it describes
     * @throws IllegalArgumentException naming {@code REDIS_URL} and what is wrong; the message never holds the
     *                                  password or any part of it
     */
    public static RedisConnectionSettings fromUrl(String url) {
        return RedisUrl.parse(url);
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
        return (tls ? "rediss://" : "redis://") + (username != null ? username + "@" : "")
                + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + database;
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
            if (!value.trim().matches("-?[0-9]{1,10}")) { // parseInt would take "+6379"
                throw new NumberFormatException();
            }
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "='" + value + "' is not a number");
        }
    }
}
