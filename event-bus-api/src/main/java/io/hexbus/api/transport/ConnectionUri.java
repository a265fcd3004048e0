package io.hexbus.api.transport;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A broker's connection URI {@code scheme://[userinfo@]host[:port][/path]}, split by {@link Syntax#parse}: strictly,
 * instead of through {@code java.net.URI}, which accepts a password holding a raw {@code #}, {@code ?} or {@code /},
 * cuts the URI there, takes the start of the password for the host, and quotes the whole URI, password included, in
 * its errors. What the user information and the path mean, and the defaults, stay the transport's.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the user information.
 *
 * @param scheme   the scheme, one of the syntax's, without {@code ://}
 * @param userInfo what stands before the last {@code @}, still percent-encoded (split it at the first {@code :}
 *                 and {@linkplain Syntax#decode decode} each part), or null without an {@code @}
 * @param host     the host: a host name, an IPv4 address or an IPv6 address (without its brackets)
 * @param port     the port, from 1 to 65535, or empty if the URI has none
 * @param path     what follows the first {@code /} after the host, still percent-encoded and not checked, or
 *                 {@code ""} without one
 */
public record ConnectionUri(String scheme, String userInfo, String host, OptionalInt port, String path) {

    // RFC 3986 userinfo: unreserved, sub-delims and ':' may stand as they are; everything else is percent-encoded.
    private static final Pattern USER_INFO = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /**
     * Checks the components are there; {@link Syntax#parse} checks what they hold.
     *
     * @param scheme   the scheme
     * @param userInfo the user information, still percent-encoded, or null
     * @param host     the host
     * @param port     the port, or empty
     * @param path     the path, still percent-encoded, or {@code ""}
     * @throws NullPointerException if the scheme, host, port or path is null
     */
    public ConnectionUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(path, "path");
    }

    /**
     * @return the URI with the password {@linkplain #redact(String) hidden}
     */
    @Override
    public String toString() {
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String uri = scheme + "://" + (userInfo == null ? "" : userInfo + "@") + authority
                + (port.isPresent() ? ":" + port.getAsInt() : "") + (path.isEmpty() ? "" : "/" + path);
        return redact(uri);
    }

    /**
     * How one transport's URI is written and named in errors.
     *
     * <p>Immutable and thread-safe.
     *
     * @param variable          the setting every error names first, such as {@code RABBITMQ_URL}
     * @param kind              what the URI is called in errors, such as {@code AMQP URI}
     * @param schemes           the schemes accepted, without {@code ://}, at least one
     * @param form              the URI's form as an error shows it, such as
     *                          {@code amqp://[user:password@]host[:port][/vhost]}
     * @param passwordElsewhere where else a password may be set, as in "or set the password in
     *                          <i>passwordElsewhere</i> instead", such as {@code RABBITMQ_PASSWORD}
     */
    public record Syntax(String variable, String kind, List<String> schemes, String form, String passwordElsewhere) {

        /**
         * Checks the components; the schemes are copied.
         *
         * @param variable          the setting every error names first
         * @param kind              what the URI is called in errors
         * @param schemes           the schemes accepted, without {@code ://}
         * @param form              the URI's form as an error shows it
         * @param passwordElsewhere where else a password may be set
         * @throws NullPointerException     if a component or a scheme is null
         * @throws IllegalArgumentException if there is no scheme
         */
        public Syntax {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(kind, "kind");
            schemes = List.copyOf(schemes);
            Objects.requireNonNull(form, "form");
            Objects.requireNonNull(passwordElsewhere, "passwordElsewhere");
            if (schemes.isEmpty()) {
                throw new IllegalArgumentException("no scheme");
            }
        }

        /**
         * Splits a URI, checking the user information's characters (RFC 3986: anything but unreserved characters,
         * sub-delimiters and {@code :} percent-encoded), the host and the port; no DNS lookup.
         *
         * @param uri the URI, trimmed
         * @return its parts
         * @throws IllegalArgumentException naming the {@link #variable()} and what is wrong, never quoting the
         *                                  password: a scheme not among the syntax's, user information holding a
         *                                  character that must be percent-encoded, a query or fragment, a missing
         *                                  or invalid host, a port out of 1-65535
         */
        public ConnectionUri parse(String uri) {
            String scheme = null;
            for (String candidate : schemes) {
                if (uri.startsWith(candidate + "://")) {
                    scheme = candidate;
                    break;
                }
            }
            if (scheme == null) {
                throw new IllegalArgumentException(variable + " must start with " + String.join(" or ",
                        schemes.stream().map(s -> s + "://").toList()) + ", got " + redact(uri));
            }
            String rest = uri.substring(scheme.length() + "://".length());
            String userInfo = null;
            // The last '@' ends what the user meant as user and password, even when an unencoded '#', '?', '/' or
            // '@' inside it would end the authority for a URI parser: that is the case to catch.
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                userInfo = rest.substring(0, at);
                if (!USER_INFO.matcher(userInfo).matches()) {
                    throw new IllegalArgumentException(variable + " is not a valid " + kind + ": its user name or"
                            + " password holds a character that must be percent-encoded (such as @ / ? # [ ] % or a"
                            + " space; write @ as %40, # as %23, / as %2F, ? as %3F, % as %25), or set the password"
                            + " in " + passwordElsewhere + " instead");
                }
                rest = rest.substring(at + 1);
            }
            if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
                throw invalid(uri, "a query or fragment is not read; use " + form);
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
            OptionalInt port = portText == null ? OptionalInt.empty() : OptionalInt.of(port(uri, portText));
            return new ConnectionUri(scheme, userInfo, host, port, path);
        }

        /**
         * Percent-decodes a part of a URI as UTF-8.
         *
         * @param text the part, percent-encoded
         * @param what what the part is, for the error, such as {@code password}
         * @return the part decoded
         * @throws IllegalArgumentException naming the {@link #variable()} and {@code what}, never quoting the text,
         *                                  if a {@code %} is not followed by two hex digits or the bytes are not
         *                                  UTF-8
         */
        public String decode(String text, String what) {
            if (text.indexOf('%') < 0) {
                return text;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '%') {
                    if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                            || Character.digit(text.charAt(i + 2), 16) < 0) {
                        throw new IllegalArgumentException(variable + " is not a valid " + kind + ": its "
                                + what + " holds a % not followed by two hex digits (write % as %25)");
                    }
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
                throw new IllegalArgumentException(variable + " is not a valid " + kind + ": its percent-encoded "
                        + what + " is not UTF-8");
            }
        }

        /**
         * @param uri the URI, {@linkplain #redact(String) redacted} in the message
         * @param why what is wrong with it
         * @return the exception to throw: "<i>variable</i> <i>uri</i> is not a valid <i>kind</i>: <i>why</i>"
         */
        public IllegalArgumentException invalid(String uri, String why) {
            return new IllegalArgumentException(variable + " " + redact(uri) + " is not a valid " + kind + ": " + why);
        }

        private int port(String uri, String text) {
            if (DIGITS.matcher(text).matches()) {
                int port = Integer.parseInt(text);
                if (port >= 1 && port <= 65_535) {
                    return port;
                }
            }
            throw invalid(uri, "the port must be a number from 1 to 65535");
        }
    }

    /**
     * @param host a host as written in a setting, an IPv6 address with or without brackets
     * @return true if it is a host name (letters, digits, '-' and '_', in dot-separated labels), an IPv4 address
     *         or an IPv6 address; checked without any DNS lookup
     */
    public static boolean isHost(String host) {
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

    /**
     * Hides everything between the scheme and the last '@' but a user name before a ':', whatever the scheme
     * (a URI with a wrong scheme is quoted in an error too), and even when the password holds '@' or ':'.
     * Without a ':' the whole user part goes: {@code redis://secret@host} names a password.
     *
     * @param uri any text
     * @return the text without what could be a password
     */
    public static String redact(String uri) {
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
}
