package io.hexbus.adapters.http;

import io.hexbus.admin.http.TokenGuard;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP server listens and how its admin routes are protected. The token's rule is {@link TokenGuard}'s.
 * Immutable; {@link #toString()} never shows the token.
 *
 * @param enabled    whether the app starts the server (in modes {@code api} and {@code all})
 * @param host       the address to bind, loopback ({@code 127.0.0.1}) by default
 * @param port       the port, 0 to 65535; 0 picks any free port
 * @param adminToken the bearer token of the admin routes, or empty: then they are not served unless
 *                   {@code insecure}
 * @param insecure   serve the admin routes without a token when none is configured (a trusted network only)
 */
public record HttpSettings(boolean enabled, String host, int port, Optional<String> adminToken, boolean insecure) {

    /** The variable that turns the HTTP server on: {@code true} or {@code false} (the default). */
    public static final String ENABLED = "HTTP_ENABLED";
    /** The variable with the address to bind; {@code 127.0.0.1} by default. */
    public static final String HOST = "HTTP_HOST";
    /** The variable with the port; 8080 by default, 0 for any free port. */
    public static final String PORT = "HTTP_PORT";
    /**
     * The variable with the admin routes' bearer token (at least {@value TokenGuard#MIN_TOKEN_LENGTH} characters):
     * {@link TokenGuard#TOKEN_VARIABLE}.
     */
    public static final String ADMIN_TOKEN = TokenGuard.TOKEN_VARIABLE;
    /**
     * The variable that serves the admin routes without a token when none is set, {@code true} or {@code false}:
     * {@link TokenGuard#INSECURE_VARIABLE}.
     */
    public static final String ADMIN_INSECURE = TokenGuard.INSECURE_VARIABLE;
    /** The default address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    /**
     * Checks the components.
     *
     * @param enabled    whether the app starts the server
     * @param host       the address to bind
     * @param port       the port, 0 to 65535
     * @param adminToken the admin token, or empty
     * @param insecure   serve the admin routes without a token when none is configured
     * @throws IllegalArgumentException naming the variable that is wrong, never showing the token
     */
    public HttpSettings {
        Objects.requireNonNull(adminToken, "adminToken");
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]%_-]{1,253}")) {
            throw new IllegalArgumentException(HOST + "='" + host + "' is not allowed: use a host name or an IP"
                    + " address (default " + DEFAULT_HOST + ", loopback only)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PORT + "=" + port + " is not allowed: use 0 to 65535 (0 picks any"
                    + " free port; default " + DEFAULT_PORT + ")");
        }
        adminToken.ifPresent(token -> TokenGuard.requireAllowed(token, ADMIN_TOKEN));
    }

    /**
     * Reads the settings from the environment (or a merged configuration).
     *
     * @param environment the variables
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values
     */
    public static HttpSettings fromEnvironment(Map<String, String> environment) {
        boolean enabled = bool(environment, ENABLED, "start the HTTP server in modes api and all");
        String host = value(environment, HOST).orElse(DEFAULT_HOST);
        int port = DEFAULT_PORT;
        Optional<String> portText = value(environment, PORT);
        if (portText.isPresent()) {
            try {
                port = Integer.parseInt(portText.get());
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException(PORT + "='" + portText.get() + "' is not allowed: use a whole"
                        + " number from 0 to 65535 (0 picks any free port; default " + DEFAULT_PORT + ")");
            }
        }
        Optional<String> token = value(environment, ADMIN_TOKEN);
        boolean insecure = bool(environment, ADMIN_INSECURE, "serve the admin API without a token");
        return new HttpSettings(enabled, host, port, token, insecure);
    }

    /**
     * @return true if the admin routes are served: a token is configured, or the insecure flag is set
     */
    public boolean adminServed() {
        return adminToken.isPresent() || insecure;
    }

    /**
     * @return the settings, with the token masked
     */
    @Override
    public String toString() {
        return "HttpSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", adminToken="
                + (adminToken.isPresent() ? "(set)" : "(unset)") + ", insecure=" + insecure + "]";
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static boolean bool(Map<String, String> environment, String name, String meaning) {
        String value = value(environment, name).orElse("false");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + "='" + value + "' is not allowed: use true ("
                    + meaning + ") or false (the default)");
        };
    }
}
