package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.regex.Pattern;

/**
 * The settings under {@code hexbus.admin.*}: the admin API and dashboard served by the application's own servlet
 * container ({@link HexbusAdminAutoConfiguration}). Checked when bound. Immutable; {@link #toString()} never shows
 * the token.
 *
 * @param token the bearer token of every admin route ({@code HEXBUS_ADMIN_TOKEN} in the environment sets it too):
 *              at least 16 printable ASCII characters without spaces; unset or blank, nothing is served
 * @param path  where the admin servlet is mounted, below the application's context path (default {@code /hexbus}):
 *              the API at {@code <path>/api/v1/…}, the dashboard at {@code <path>/ui}
 */
@ConfigurationProperties("hexbus.admin")
public record HexbusAdminProperties(String token, @DefaultValue("/hexbus") String path) {

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    /**
     * Checks the path.
     *
     * @param token the token, or null when unset
     * @param path  the mount path
     * @throws IllegalArgumentException naming {@code hexbus.admin.path} when it is not one or more plain segments,
     *                                  each after a {@code /}
     */
    public HexbusAdminProperties {
        if (!PATH.matcher(path).matches() || path.contains("/.")) {
            throw new IllegalArgumentException("hexbus.admin.path=" + path + " is not allowed: use one or more"
                    + " segments of letters, digits, '.', '_', '~' or '-', each after a '/' (default /hexbus)");
        }
    }

    /** @return the settings, the token only as set or unset */
    @Override
    public String toString() {
        return "HexbusAdminProperties[token=" + (token == null || token.isBlank() ? "(unset)" : "(set)") + ", path="
                + path + "]";
    }
}
