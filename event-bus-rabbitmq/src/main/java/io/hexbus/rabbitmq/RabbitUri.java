package io.hexbus.rabbitmq;

import io.hexbus.api.transport.ConnectionUri;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code amqp://[user[:password]@]host[:port][/vhost]} (or {@code amqps://}) itself, strictly, through
 * {@link ConnectionUri}, instead of leaving it to the client's {@code ConnectionFactory.setUri}: that goes through
 * {@code java.net.URI}, which accepts a password holding a raw {@code #}, {@code ?} or {@code /}, cuts the URI there
 * and takes the start of the password for the host, and quotes the whole URI, password included, in its errors.
 * Every message here names {@code RABBITMQ_URL}; none quotes a password or any part of it.
 */
final class RabbitUri {

    /** The variable every message names. */
    static final String VARIABLE = "RABBITMQ_URL";

    private static final ConnectionUri.Syntax SYNTAX = new ConnectionUri.Syntax(VARIABLE, "AMQP URI",
            List.of("amqp", "amqps"), "amqp://[user:password@]host[:port][/vhost]", "RABBITMQ_PASSWORD");
    // A path segment: RFC 3986 unreserved, sub-delims, ':' and '@'; '/' not (a vhost holding '/' is written %2F).
    private static final Pattern SEGMENT = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*");

    private RabbitUri() {
    }

    /**
     * @param uri the URI, trimmed
     * @return the settings it describes, user name, password and virtual host percent-decoded; without a user
     *         {@code guest}/{@code guest} (RabbitMQ's own default), without a path the virtual host {@code /}
     * @throws IllegalArgumentException naming {@code RABBITMQ_URL} and what is wrong, never quoting the password
     */
    static RabbitConnectionSettings parse(String uri) {
        ConnectionUri parts = SYNTAX.parse(uri);
        boolean tls = parts.scheme().equals("amqps");
        String username = RabbitConnectionSettings.DEFAULT_USER;
        String password = RabbitConnectionSettings.DEFAULT_PASSWORD;
        String userInfo = parts.userInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = SYNTAX.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            password = colon < 0 ? "" : SYNTAX.decode(userInfo.substring(colon + 1), "password");
        }
        int port = parts.port().orElse(tls ? RabbitConnectionSettings.DEFAULT_TLS_PORT
                : RabbitConnectionSettings.DEFAULT_PORT);
        return new RabbitConnectionSettings(parts.host(), port, tls, username, password,
                virtualHost(uri, parts.path()), null, null);
    }

    // RabbitMQ's URI spec reads an empty path as the vhost "", which no broker has: it is read as the default.
    private static String virtualHost(String uri, String path) {
        if (path.isEmpty()) {
            return RabbitConnectionSettings.DEFAULT_VIRTUAL_HOST;
        }
        if (!SEGMENT.matcher(path).matches()) {
            throw SYNTAX.invalid(uri, "the path is the virtual host, percent-encoded: write / as %2F (the default"
                    + " vhost is /%2F or no path)");
        }
        return SYNTAX.decode(path, "virtual host");
    }
}
