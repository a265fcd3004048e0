package io.hexbus.redis;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads {@code redis://[user[:password]@]host[:port][/db]} (or {@code rediss://}) itself, strictly, instead of
 * leaving it to Lettuce: Lettuce (through {@code java.net.URI}) accepts a password holding a raw {@code #},
 * {@code ?} or {@code /}, cuts the URL there and takes the user and the start of the password for the host, which
 * it then logs and looks up in DNS. Every message names {@code REDIS_URL}; none quotes a password or any part of it.
 */
final class RedisUrl {

    /** The variable every message names. */
    static final String VARIABLE = "REDIS_URL";

    // RFC 3986 userinfo: unreserved, sub-delims and ':' may stand as they are; everything else is percent-encoded.
    private static final Pattern USER_INFO = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private RedisUrl() {
    }

    /**
     * @param url the value of {@code REDIS_URL}, trimmed
     * @return the settings it describes, with the user name and password percent-decoded
     * @throws IllegalArgumentException naming {@code REDIS_URL} and what is wrong, never quoting the password
     */
    static RedisConnectionSettings parse(String url) {
        boolean tls = url.startsWith("rediss://");
        if (!tls && !url.startsWith("redis://")) {
            throw new IllegalArgumentException(VARIABLE + " must start with redis:// or rediss://, got " + redact(url));
        }
        String rest = url.substring(tls ? "rediss://".length() : "redis://".length());
        String username = null;
        String password = null;
        // The last '@' ends what the user meant as user and password, even when an unencoded '#', '?', '/' or '@'
        // inside it would end the authority for a URI parser: that is the case to catch.
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            if (!USER_INFO.matcher(userInfo).matches()) {
                throw new IllegalArgumentException(VARIABLE + " is not a valid Redis URL: its user name or password"
                        + " holds a character that must be percent-encoded (such as @ / ? # [ ] % or a space;"
                        + " write @ as %40, # as %23, / as %2F, ? as %3F, % as %25), or set the password in"
                        + " REDIS_PASSWORD with REDIS_HOST instead");
            }
            int colon = userInfo.indexOf(':');
            if (colon < 0) { // redis://password@host, as Lettuce and redis-cli read it
                password = decode(userInfo);
            } else {
                username = colon == 0 ? null : decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
            rest = rest.substring(at + 1);
        }
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw invalid(url, "a query or fragment is not read; use redis://[user:password@]host[:port][/db]");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(url, "an IPv6 address in brackets has no ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(url, "after the IPv6 address comes ':' and the port, or nothing");
            }
            portText = after.isEmpty() ? null : after.substring(1);
            if (!isIpv6(host)) {
                throw invalid(url, "the host is not an IPv6 address");
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw invalid(url, "the host is missing");
            }
            if (!isHost(host)) {
                throw invalid(url, "the host is not a host name or an IPv4 address (write an IPv6 address in"
                        + " brackets)");
            }
        }
        int port = portText == null ? 6379 : port(url, portText);
        return new RedisConnectionSettings(host, port, tls, username,
                password == null || password.isEmpty() ? null : password, database(url, path));
    }

    /**
     * @param host a host as written in a setting, an IPv6 address with or without brackets
     * @return true if it is a host name (letters, digits, '-' and '_', in dot-separated labels), an IPv4 address
     *         or an IPv6 address; checked without any DNS lookup
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
            // A bracketed literal is parsed, never looked up: an invalid one fails without DNS. (An IPv4-mapped
            // address comes back as an Inet4Address, and is fine.)
            InetAddress.getByName("[" + address + "]");
            return true;
        } catch (UnknownHostException invalid) {
            return false;
        }
    }

    private static int port(String url, String text) {
        if (DIGITS.matcher(text).matches()) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        }
        throw invalid(url, "the port must be a number from 1 to 65535");
    }

    private static int database(String url, String path) {
        if (path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String text = path.substring(1);
        if (!DIGITS.matcher(text).matches()) {
            throw invalid(url, "the path must be the database number, like /0");
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException(VARIABLE + " " + redact(url) + " is not a valid Redis URL: " + why);
    }

    // Only called on text USER_INFO accepted: every '%' starts two hex digits.
    private static String decode(String text) {
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
            throw new IllegalArgumentException(VARIABLE + " is not a valid Redis URL: its percent-encoded user name"
                    + " or password is not UTF-8");
        }
    }

    /**
     * Hides everything between the scheme and the last '@' but a user name before a ':', whatever the scheme
     * (a URL that is not redis:// is quoted in an error too), and even when the password holds '@' or ':'.
     * Without a ':' the whole user part goes: {@code redis://secret@host} names a password.
     *
     * @param url any text
     * @return the text without what could be a password
     */
    static String redact(String url) {
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
