package io.hexbus.redis;

import io.hexbus.api.transport.ConnectionUri;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code redis://[user[:password]@]host[:port][/db]} (or {@code rediss://}) itself, strictly, through
 * {@link ConnectionUri}, instead of leaving it to Lettuce: Lettuce (through {@code java.net.URI}) accepts a password
 * holding a raw {@code #}, {@code ?} or {@code /}, cuts the URL there and takes the user and the start of the
 * password for the host, which it then logs and looks up in DNS. Every message names {@code REDIS_URL}; none quotes
 * a password or any part of it.
 */
final class RedisUrl {

    /** The variable every message names. */
    static final String VARIABLE = "REDIS_URL";

    private static final ConnectionUri.Syntax SYNTAX = new ConnectionUri.Syntax(VARIABLE, "Redis URL",
            List.of("redis", "rediss"), "redis://[user:password@]host[:port][/db]",
            "REDIS_PASSWORD with REDIS_HOST");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private RedisUrl() {
    }

    /**
     * @param url the value of {@code REDIS_URL}, trimmed
     * @return the settings it describes, with the user name and password percent-decoded
     * @throws IllegalArgumentException naming {@code REDIS_URL} and what is wrong, never quoting the password
     */
    static RedisConnectionSettings parse(String url) {
        ConnectionUri parts = SYNTAX.parse(url);
        String username = null;
        String password = null;
        String userInfo = parts.userInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) { // redis://password@host, as Lettuce and redis-cli read it
                password = SYNTAX.decode(userInfo, "user name or password");
            } else {
                username = colon == 0 ? null : SYNTAX.decode(userInfo.substring(0, colon), "user name or password");
                password = SYNTAX.decode(userInfo.substring(colon + 1), "user name or password");
            }
        }
        return new RedisConnectionSettings(parts.host(), parts.port().orElse(6379), parts.scheme().equals("rediss"),
                username, password == null || password.isEmpty() ? null : password, database(url, parts.path()));
    }

    private static int database(String url, String path) {
        if (path.isEmpty()) {
            return 0;
        }
        if (!DIGITS.matcher(path).matches()) {
            throw SYNTAX.invalid(url, "the path must be the database number, like /0");
        }
        return Integer.parseInt(path);
    }
}
