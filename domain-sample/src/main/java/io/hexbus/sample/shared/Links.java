package io.hexbus.sample.shared;

import java.net.URI;
import java.util.Objects;

/**
 * Builds the links that mails point users to, from the web application's base address.
 *
 * @param baseUrl the base address, for example {@code https://app.example.com}; without a trailing slash
 */
public record Links(URI baseUrl) {

    /**
     * Checks that the base address is absolute.
     *
     * @param baseUrl the base address
     */
    public Links {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!baseUrl.isAbsolute() || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("Links.baseUrl must be an absolute http(s) address, got " + baseUrl);
        }
    }

    /**
     * @param baseUrl the base address as text
     * @return the links
     */
    public static Links of(String baseUrl) {
        return new Links(URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl));
    }

    /**
     * @param path a path starting with {@code /}
     * @return the absolute link, as text
     */
    public String to(String path) {
        return baseUrl + path;
    }
}
