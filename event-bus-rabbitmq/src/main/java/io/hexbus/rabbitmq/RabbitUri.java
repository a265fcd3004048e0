package io.hexbus.rabbitmq;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads {@code amqp://[user[:password]@]host[:port][/vhost]} (or {@code amqps://}) itself, strictly, instead of
 * leaving it to the client's {@code ConnectionFactory.setUri}: that goes through {@code java.net.URI}, which accepts
 * a password holding a raw {@code #}, {@code ?} or {@code /}, cuts the URI there and takes the start of the
 * password for the host, and quotes the whole URI, password included, in its errors. Every message here names
 * {@code RABBITMQ_URL}; none quotes a password or any part of it.
 */
final class RabbitUri {

    /** The variable every message names. */
    static final String VARIABLE = "RABBITMQ_URL";

    // RFC 3986 userinfo: unreserved, sub-delims and ':' may stand as they are; everything else is percent-encoded.
    private static final Pattern USER_INFO = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*");
    // A path segment: the same, '@' allowed, '/' not (a vhost holding '/' is written %2F).
    private static final Pattern SEGMENT = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private RabbitUri() {
    }

    /**
     * @param uri the URI, trimmed
     * @return the settings it describes, user name, password and virtual host percent-decoded; without a user
     *         {@code guest}/{@code guest} (RabbitMQ's own default), without a path the virtual host {@code /}
     * @throws IllegalArgumentException naming {@code RABBITMQ_URL} and what is wrong, never quoting the password
     */
    static RabbitConnectionSettings parse(String uri) {
        boolean tls = uri.startsWith("amqps://");
        if (!tls && !uri.startsWith("amqp://")) {
            throw new IllegalArgumentException(VARIABLE + " must start with amqp:// or amqps://, got " + redact(uri));
        }
        String rest = uri.substring(tls ? "amqps://".length() : "amqp://".length());
        String username = RabbitConnectionSettings.DEFAULT_USER;
        String password = RabbitConnectionSettings.DEFAULT_PASSWORD;
        // The last '@' ends what the user meant as user and password, even when an unencoded '#', '?', '/' or '@'
        // inside it would end the authority for a URI parser: that is the case to catch.
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            if (!USER_INFO.matcher(userInfo).matches()) {
                throw new IllegalArgumentException(VARIABLE + " is not a valid AMQP URI: its user name or password"
                        + " holds a character that must be percent-encoded (such as @ / ? # [ ] % \" \\ or a space;"
                        + " write @ as %40, # as %23, / as %2F, ? as %3F, % as %25), or set the password in"
                        + " RABBITMQ_PASSWORD instead");
            }
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1), "password");
            rest = rest.substring(at + 1);
        }
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw invalid(uri, "a query or fragment is not read; use amqp://[user:password@]host[:port][/vhost]");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(uri, "an IPv6 address in brackets has no ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(uri, "after the IPv6 address comes ':' and the port, or nothing");
            }
            portText = after.isEmpty() ? null : after.substring(1);
            if (!isIpv6(host)) {
                throw invalid(uri, "the host is not an IPv6 address");
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw invalid(uri, "the host is missing");
            }
            if (!isHost(host)) {
                throw invalid(uri, "the host is not a host name or an IPv4 address (write an IPv6 address in"
                        + " brackets)");
            }
        }
        int port = portText == null ? (tls ? RabbitConnectionSettings.DEFAULT_TLS_PORT
                : RabbitConnectionSettings.DEFAULT_PORT) : port(uri, portText);
        return new RabbitConnectionSettings(host, port, tls, username, password, virtualHost(uri, path), null, null);
    }

    /**
     * @param host a host as written in a setting, an IPv6 address with or without brackets
     * @return true if it is a host name, an IPv4 address or an IPv6 address; checked without any DNS lookup
     */
    static boolean isHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6(host);
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        if (NUMERIC.matcher(name).matches()) {
            return isIpv4(name);
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String address) {
        if (!IPV6.matcher(address).matches() || address.chars().filter(c -> c == ':').count() < 2) {
            return false;
        }
        try {
            // A bracketed literal is parsed, never looked up: an invalid one fails without DNS.
            InetAddress.getByName("[" + address + "]");
            return true;
        } catch (UnknownHostException invalid) {
            return false;
        }
    }

    private static int port(String uri, String text) {
        if (DIGITS.matcher(text).matches()) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        }
        throw invalid(uri, "the port must be a number from 1 to 65535");
    }

    // RabbitMQ's URI spec reads an empty path as the vhost "", which no broker has: it is read as the default.
    private static String virtualHost(String uri, String path) {
        if (path.isEmpty()) {
            return RabbitConnectionSettings.DEFAULT_VIRTUAL_HOST;
        }
        if (!SEGMENT.matcher(path).matches()) {
            throw invalid(uri, "the path is the virtual host, percent-encoded: write / as %2F (the default vhost is"
                    + " /%2F or no path)");
        }
        return decode(path, "virtual host");
    }

    private static IllegalArgumentException invalid(String uri, String why) {
        return new IllegalArgumentException(VARIABLE + " " + redact(uri) + " is not a valid AMQP URI: " + why);
    }

    // Only called on text a pattern accepted: every '%' starts two hex digits.
    private static String decode(String text, String what) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new IllegalArgumentException(VARIABLE + " is not a valid AMQP URI: its percent-encoded " + what
                    + " is not UTF-8");
        }
    }

    /**
     * Hides everything between the scheme and the last '@' but a user name before a ':', whatever the scheme,
     * even when the password holds '@' or ':'.
     *
     * @param uri any text
     * @return the text without what could be a password
     */
    static String redact(String uri) {
        int at = uri.lastIndexOf('@');
        if (at < 0) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        int colon = uri.indexOf(':', start);
        String user = colon >= 0 && colon < at ? uri.substring(start, colon + 1) : "";
        return uri.substring(0, start) + user + "***" + uri.substring(at);
    }
}
