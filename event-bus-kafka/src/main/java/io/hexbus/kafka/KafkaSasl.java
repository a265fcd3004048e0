package io.hexbus.kafka;

import java.util.Locale;
import java.util.Objects;

/**
 * How a Kafka client logs in with SASL: a mechanism, a user name and its password. Immutable. {@link #toString()}
 * never shows the password.
 *
 * @param mechanism how the password is checked
 * @param username  the user, not blank
 * @param password  the password, not empty; any characters, quotes, backslashes, semicolons and blanks included
 */
public record KafkaSasl(Mechanism mechanism, String username, String password) {

    /** The SASL mechanisms the transport logs in with: those of a user name and a password. */
    public enum Mechanism {
        /** The password sent as it is: use it over TLS only ({@code SASL_SSL}). */
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        /** A salted challenge with SHA-256: the password never crosses the wire. */
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        /** A salted challenge with SHA-512: the password never crosses the wire. */
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String kafkaName;
        private final String loginModule;

        Mechanism(String kafkaName, String loginModule) {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }

        /**
         * @return the name Kafka's {@code sasl.mechanism} takes, such as {@code SCRAM-SHA-512}
         */
        public String kafkaName() {
            return kafkaName;
        }

        /**
         * @param name a mechanism as Kafka names it, in any case, such as {@code scram-sha-256}
         * @return the mechanism
         * @throws IllegalArgumentException if it is none of {@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}
         */
        public static Mechanism of(String name) {
            String upper = Objects.requireNonNull(name, "name").trim().toUpperCase(Locale.ROOT);
            for (Mechanism mechanism : values()) {
                if (mechanism.kafkaName.equals(upper)) {
                    return mechanism;
                }
            }
            throw new IllegalArgumentException("SASL mechanism '" + name + "' is not supported: use PLAIN,"
                    + " SCRAM-SHA-256 or SCRAM-SHA-512");
        }
    }

    /**
     * Checks the components.
     *
     * @param mechanism how the password is checked
     * @param username  the user
     * @param password  the password
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if the user name is blank or the password empty (never quoting it)
     */
    public KafkaSasl {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("the SASL user name is blank");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the SASL password is empty");
        }
    }

    /**
     * The value of the clients' {@code sasl.jaas.config}: the mechanism's login module with the user name and the
     * password as quoted strings. Kafka reads that value with a {@link java.io.StreamTokenizer}, so in them a
     * {@code \} and a {@code "} are escaped with a {@code \}, and a control character (a line break would end the
     * string) is written as an octal escape; every other character stands as it is.
     *
     * @return the JAAS configuration; it holds the password, so hand it to Kafka as a password
     *         ({@link org.apache.kafka.common.config.types.Password}), which its logs show as {@code [hidden]}
     */
    public String jaasConfig() {
        return mechanism.loginModule + " required username=" + quoted(username) + " password=" + quoted(password)
                + ";";
    }

    /**
     * @return the mechanism and the user, for logs: never the password
     */
    public String describe() {
        return mechanism.kafkaName + " as user '" + username + "'";
    }

    @Override
    public String toString() {
        return "KafkaSasl[" + describe() + ", password=***]";
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                // Three octal digits, as StreamTokenizer reads them; a raw line break would end the string.
                out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
