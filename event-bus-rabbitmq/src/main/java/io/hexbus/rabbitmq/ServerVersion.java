package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The broker's version, from a connection's server properties, for what only newer brokers take. Stateless. */
final class ServerVersion {

    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})(?:[^0-9].*)?");

    private ServerVersion() {
    }

    /**
     * @param connection an open connection
     * @return its broker's {@code version} server property, e.g. {@code 3.10.8}, or {@code ""} when it has none
     */
    static String of(Connection connection) {
        Object version = connection.getServerProperties().get("version");
        return version == null ? "" : version.toString();
    }

    /**
     * @param version a version, e.g. {@code 3.12.1}; anything unreadable counts as older
     * @param major   the major version
     * @param minor   the minor version
     * @return whether it is {@code major.minor} or later
     */
    static boolean atLeast(String version, int major, int minor) {
        Matcher matcher = MAJOR_MINOR.matcher(version == null ? "" : version);
        if (!matcher.matches()) {
            return false;
        }
        int actualMajor = Integer.parseInt(matcher.group(1));
        return actualMajor > major || actualMajor == major && Integer.parseInt(matcher.group(2)) >= minor;
    }
}
