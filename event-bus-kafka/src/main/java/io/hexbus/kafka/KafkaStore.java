package io.hexbus.kafka;

import java.util.Locale;
import java.util.Objects;

/**
 * A key store file of a TLS connection to Kafka: the truststore (the certificates a client trusts) or the keystore
 * (the client's own certificate and key, for mutual TLS). Immutable. {@link #toString()} never shows the password.
 *
 * @param location the file's path, not blank
 * @param password the store's password, or null when it has none (a PEM file, a truststore read without one); a
 *                 keystore's key has the same password, as it always does in a PKCS12 file
 * @param type     the file's format, {@code JKS}, {@code PKCS12} or {@code PEM}; null for Kafka's default, {@code JKS}
 *                 (which also reads a PKCS12 file)
 */
public record KafkaStore(String location, String password, String type) {

    /**
     * Checks the components.
     *
     * @param location the file's path
     * @param password its password, or null
     * @param type     its format, or null; written in upper case
     * @throws NullPointerException     if the location is null
     * @throws IllegalArgumentException if the location is blank, the password empty, or the type none of the three
     */
    public KafkaStore {
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new IllegalArgumentException("the store's location is blank");
        }
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException("the store's password is empty: give none (null) instead");
        }
        if (type != null) {
            type = type.trim().toUpperCase(Locale.ROOT);
            if (!type.equals("JKS") && !type.equals("PKCS12") && !type.equals("PEM")) {
                throw new IllegalArgumentException("store type '" + type + "' is not supported: use JKS, PKCS12 or"
                        + " PEM");
            }
        }
    }

    /**
     * @param location the file's path
     * @return a store of Kafka's default type without a password
     */
    public static KafkaStore at(String location) {
        return new KafkaStore(location, null, null);
    }

    /**
     * @param value the store's password, or null
     * @return a copy with it
     */
    public KafkaStore withPassword(String value) {
        return new KafkaStore(location, value, type);
    }

    /**
     * @param value the file's format, or null for Kafka's default
     * @return a copy with it
     */
    public KafkaStore withType(String value) {
        return new KafkaStore(location, password, value);
    }

    /**
     * @return the location and type, for logs: never the password
     */
    public String describe() {
        return location + (type != null ? " (" + type + ")" : "");
    }

    @Override
    public String toString() {
        return "KafkaStore[" + describe() + (password != null ? ", password=***" : "") + "]";
    }
}
