package io.hexbus.adapters.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to send mail over SMTP. Immutable; {@link #toString()} never shows the password.
 *
 * <p>{@code tls} means implicit TLS (SMTPS, usually port 465): the connection is encrypted from its first byte
 * and the server's certificate is verified against the JVM's trust store, host name included. Without it, mail
 * goes over plain SMTP, for a relay on a trusted network or a local test server. STARTTLS is not offered.
 *
 * @param host     the SMTP server's host name
 * @param port     its port, from 1 to 65535
 * @param username the login, or null to send without authenticating
 * @param password the password of the login, or null when there is no login
 * @param tls      true for implicit TLS (SMTPS), false for plain SMTP
 * @param from     the sender address, for example {@code Billing <billing@example.com>}
 */
public record SmtpSettings(String host, int port, String username, String password, boolean tls, String from) {

    /** The variable naming the SMTP server; when it is unset or blank, no SMTP mailer is configured. */
    public static final String HOST = "SMTP_HOST";
    /** The variable with the port; defaults to 465 with TLS and 25 without. */
    public static final String PORT = "SMTP_PORT";
    /** The variable with the login; unset to send without authenticating. */
    public static final String USER = "SMTP_USER";
    /** The variable with the password of the login; required with {@link #USER}. */
    public static final String PASSWORD = "SMTP_PASSWORD";
    /** The variable choosing implicit TLS: {@code true} or {@code false} (the default). */
    public static final String TLS = "SMTP_TLS";
    /** The variable with the sender address; required with {@link #HOST}. */
    public static final String FROM = "MAIL_FROM";

    /**
     * Checks the components.
     *
     * @param host     the SMTP server's host name
     * @param port     its port, from 1 to 65535
     * @param username the login, or null to send without authenticating
     * @param password the password of the login, or null when there is no login
     * @param tls      true for implicit TLS (SMTPS), false for plain SMTP
     * @param from     the sender address
     * @throws IllegalArgumentException naming the setting that is wrong, never showing the password
     */
    public SmtpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST + " is required for SMTP");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(PORT + "=" + port + " is not a port: use 1 to 65535");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(USER + " and " + PASSWORD + " are set together or not at all");
        }
        Objects.requireNonNull(from, FROM);
        try {
            new InternetAddress(from, true);
        } catch (AddressException notAnAddress) {
            throw new IllegalArgumentException(FROM + "='" + from + "' is not an email address", notAnAddress);
        }
    }

    /**
     * Reads the settings from the environment.
     *
     * @param environment the process environment
     * @return the settings, or empty when {@code SMTP_HOST} is unset or blank
     * @throws IllegalArgumentException naming the variable whose value is wrong, never showing the password
     */
    public static Optional<SmtpSettings> fromEnvironment(Map<String, String> environment) {
        String host = value(environment, HOST);
        if (host == null) {
            return Optional.empty();
        }
        boolean tls = switch (Objects.requireNonNullElse(value(environment, TLS), "false").toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(TLS + "='" + value(environment, TLS)
                    + "' is not allowed: use true (implicit TLS, SMTPS) or false (plain SMTP, the default)");
        };
        String portText = value(environment, PORT);
        int port;
        try {
            port = portText == null ? (tls ? 465 : 25) : Integer.parseInt(portText);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(PORT + "='" + portText + "' is not a port: use 1 to 65535");
        }
        String from = value(environment, FROM);
        if (from == null) {
            throw new IllegalArgumentException(FROM + " is required when " + HOST + " is set: the sender address");
        }
        String password = environment.get(PASSWORD); // kept as given: a password may start or end with a space
        return Optional.of(new SmtpSettings(host, port, value(environment, USER),
                password == null || password.isEmpty() ? null : password, tls, from));
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * @return true when a login is configured
     */
    public boolean authenticates() {
        return username != null;
    }

    /**
     * @return every setting except the password, which shows as {@code ***} when set
     */
    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", tls=" + tls + ", from=" + from + "]";
    }
}
