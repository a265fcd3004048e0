package io.hexbus.kafka;

import org.apache.kafka.common.config.types.Password;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a Kafka cluster is and how to connect to it: its bootstrap servers (the brokers a client first asks for the
 * cluster's metadata), the security protocol, and, as that protocol needs, the SASL login and the TLS stores.
 * Immutable; {@link #toString()} and {@link #describe()} never show a password, and {@link #clientProperties()} hands
 * every secret to Kafka as a {@link Password}, which its clients log as {@code [hidden]}.
 *
 * @param bootstrapServers one or more {@code host:port} addresses ({@code [address]:port} for an IPv6 address),
 *                         in the order given
 * @param securityProtocol how the clients talk to the brokers
 * @param sasl             the SASL login: present exactly when the protocol is {@code SASL_PLAINTEXT} or
 *                         {@code SASL_SSL}
 * @param truststore       the certificates to trust, when the JDK's own are not enough; TLS protocols only
 * @param keystore         the client's certificate and key, for mutual TLS; TLS protocols only
 */
public record KafkaConnectionSettings(List<String> bootstrapServers, SecurityProtocol securityProtocol,
                                      Optional<KafkaSasl> sasl, Optional<KafkaStore> truststore,
                                      Optional<KafkaStore> keystore) {

    /** The bootstrap servers, {@code host:port[,host:port...]}. */
    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    /**
     * The security protocol: {@code PLAINTEXT} (the default), {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}.
     */
    public static final String SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    /** The SASL mechanism: {@code PLAIN} (the default), {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}. */
    public static final String SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
    /** The SASL user. */
    public static final String SASL_USERNAME = "KAFKA_SASL_USERNAME";
    /** The SASL password. */
    public static final String SASL_PASSWORD = "KAFKA_SASL_PASSWORD";
    /** The truststore's path. */
    public static final String TRUSTSTORE_LOCATION = "KAFKA_SSL_TRUSTSTORE_LOCATION";
    /** The truststore's password. */
    public static final String TRUSTSTORE_PASSWORD = "KAFKA_SSL_TRUSTSTORE_PASSWORD";
    /** The truststore's type: {@code JKS}, {@code PKCS12} or {@code PEM}. */
    public static final String TRUSTSTORE_TYPE = "KAFKA_SSL_TRUSTSTORE_TYPE";
    /** The keystore's path (mutual TLS). */
    public static final String KEYSTORE_LOCATION = "KAFKA_SSL_KEYSTORE_LOCATION";
    /** The keystore's password, also its key's. */
    public static final String KEYSTORE_PASSWORD = "KAFKA_SSL_KEYSTORE_PASSWORD";
    /** The keystore's type: {@code JKS}, {@code PKCS12} or {@code PEM}. */
    public static final String KEYSTORE_TYPE = "KAFKA_SSL_KEYSTORE_TYPE";
    /** The bootstrap servers when {@link #BOOTSTRAP_SERVERS} is unset. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    /** Every name {@link #fromEnvironment} reads. */
    public static final Set<String> VARIABLES = Set.of(BOOTSTRAP_SERVERS, SECURITY_PROTOCOL, SASL_MECHANISM,
            SASL_USERNAME, SASL_PASSWORD, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, KEYSTORE_LOCATION,
            KEYSTORE_PASSWORD, KEYSTORE_TYPE);

    /** How the clients talk to the brokers: Kafka's {@code security.protocol}. */
    public enum SecurityProtocol {
        /** Neither TLS nor a login: a private network only. */
        PLAINTEXT,
        /** TLS, and a client certificate if the brokers ask for one. */
        SSL,
        /** A SASL login without TLS: the password in clear with {@code PLAIN}. */
        SASL_PLAINTEXT,
        /** A SASL login over TLS. */
        SASL_SSL;

        /**
         * @return whether it logs in with SASL
         */
        public boolean usesSasl() {
            return this == SASL_PLAINTEXT || this == SASL_SSL;
        }

        /**
         * @return whether it encrypts with TLS
         */
        public boolean usesTls() {
            return this == SSL || this == SASL_SSL;
        }
    }

    /**
     * Checks the addresses, and that the login and the stores fit the protocol.
     *
     * @param bootstrapServers one or more {@code host:port} addresses
     * @param securityProtocol how the clients talk to the brokers
     * @param sasl             the SASL login, exactly with a SASL protocol
     * @param truststore       the certificates to trust, with a TLS protocol only
     * @param keystore         the client's certificate, with a TLS protocol only
     * @throws IllegalArgumentException if there is no address, naming the one that is not {@code host:port} with a
     *                                  port from 1 to 65535, or saying what does not fit the protocol
     */
    public KafkaConnectionSettings {
        bootstrapServers = List.copyOf(Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("no Kafka bootstrap server");
        }
        bootstrapServers.forEach(KafkaConnectionSettings::check);
        if (securityProtocol.usesSasl() && sasl.isEmpty()) {
            throw new IllegalArgumentException("security protocol " + securityProtocol + " needs a SASL login");
        }
        if (!securityProtocol.usesSasl() && sasl.isPresent()) {
            throw new IllegalArgumentException("a SASL login needs security protocol SASL_SSL or SASL_PLAINTEXT, not "
                    + securityProtocol);
        }
        if (!securityProtocol.usesTls() && (truststore.isPresent() || keystore.isPresent())) {
            throw new IllegalArgumentException("a truststore or keystore needs security protocol SSL or SASL_SSL, not "
                    + securityProtocol);
        }
    }

    /**
     * @param bootstrapServers one or more {@code host:port} addresses
     * @throws IllegalArgumentException if there is none, or naming the one that is not {@code host:port}
     */
    public KafkaConnectionSettings(List<String> bootstrapServers) {
        this(bootstrapServers, SecurityProtocol.PLAINTEXT, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Reads the form of {@code KAFKA_BOOTSTRAP_SERVERS} and of the clients' {@code bootstrap.servers}: addresses
     * separated by commas, blanks around them ignored. Plain text, no login.
     *
     * @param commaSeparated e.g. {@code kafka-1:9092,kafka-2:9092}
     * @return the settings
     * @throws IllegalArgumentException naming the address that is not {@code host:port}
     */
    public static KafkaConnectionSettings parse(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        List<String> servers = new ArrayList<>();
        for (String server : commaSeparated.split(",", -1)) {
            servers.add(server.strip());
        }
        return new KafkaConnectionSettings(servers);
    }

    /**
     * Reads the {@link #VARIABLES}: {@code KAFKA_BOOTSTRAP_SERVERS} (default {@value #DEFAULT_BOOTSTRAP_SERVERS}),
     * {@code KAFKA_SECURITY_PROTOCOL} (default {@code PLAINTEXT}); with a SASL protocol {@code KAFKA_SASL_MECHANISM}
     * (default {@code PLAIN}), {@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD}; with a TLS protocol,
     * optionally, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code _PASSWORD} and {@code _TYPE}, and the same three of
     * {@code KAFKA_SSL_KEYSTORE_}. Blank counts as unset. A variable set that the protocol does not use is refused,
     * not ignored; a store's file must be readable. Passwords are taken as they are, blanks included.
     *
     * @param environment the environment variables (or the merged configuration)
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values; never quoting
     *                                  a password
     */
    public static KafkaConnectionSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String servers = Optional.ofNullable(trimmed(environment, BOOTSTRAP_SERVERS)).orElse(DEFAULT_BOOTSTRAP_SERVERS);
        List<String> parsed;
        try {
            parsed = parse(servers).bootstrapServers();
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + "='" + servers + "' is not allowed: "
                    + invalid.getMessage() + "; use host:port[,host:port...]");
        }
        SecurityProtocol protocol = protocol(environment);
        Optional<KafkaSasl> sasl = Optional.empty();
        if (protocol.usesSasl()) {
            sasl = Optional.of(sasl(environment, protocol));
        } else {
            refuseSet(environment, protocol, "a SASL protocol (SASL_SSL or SASL_PLAINTEXT)", SASL_MECHANISM,
                    SASL_USERNAME, SASL_PASSWORD);
        }
        Optional<KafkaStore> truststore = Optional.empty();
        Optional<KafkaStore> keystore = Optional.empty();
        if (protocol.usesTls()) {
            truststore = store(environment, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE);
            keystore = store(environment, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
        } else {
            refuseSet(environment, protocol, "a TLS protocol (SSL or SASL_SSL)", TRUSTSTORE_LOCATION,
                    TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
        }
        return new KafkaConnectionSettings(parsed, protocol, sasl, truststore, keystore);
    }

    /**
     * @param value the security protocol
     * @return a copy with it (the login and the stores must still fit it)
     */
    public KafkaConnectionSettings withSecurityProtocol(SecurityProtocol value) {
        return new KafkaConnectionSettings(bootstrapServers, value, sasl, truststore, keystore);
    }

    /**
     * @param value the SASL login, or empty
     * @return a copy with it
     */
    public KafkaConnectionSettings withSasl(Optional<KafkaSasl> value) {
        return new KafkaConnectionSettings(bootstrapServers, securityProtocol, value, truststore, keystore);
    }

    /**
     * @param value the truststore, or empty for the JDK's certificates
     * @return a copy with it
     */
    public KafkaConnectionSettings withTruststore(Optional<KafkaStore> value) {
        return new KafkaConnectionSettings(bootstrapServers, securityProtocol, sasl, value, keystore);
    }

    /**
     * @param value the keystore, or empty for no client certificate
     * @return a copy with it
     */
    public KafkaConnectionSettings withKeystore(Optional<KafkaStore> value) {
        return new KafkaConnectionSettings(bootstrapServers, securityProtocol, sasl, truststore, value);
    }

    /** @return the addresses separated by commas, as the clients' {@code bootstrap.servers} takes them */
    public String bootstrapServersConfig() {
        return String.join(",", bootstrapServers);
    }

    /**
     * @return the configuration every Kafka client of these settings starts from: {@code bootstrap.servers}, and
     *         beyond {@code PLAINTEXT} {@code security.protocol}, the SASL mechanism and JAAS configuration, the
     *         stores' locations, types and passwords; every secret as a {@link Password} (which Kafka neither trims
     *         nor logs); a new, unmodifiable map
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", bootstrapServersConfig());
        if (securityProtocol != SecurityProtocol.PLAINTEXT) {
            properties.put("security.protocol", securityProtocol.name());
        }
        sasl.ifPresent(login -> {
            properties.put("sasl.mechanism", login.mechanism().kafkaName());
            properties.put("sasl.jaas.config", new Password(login.jaasConfig()));
        });
        truststore.ifPresent(store -> storeProperties(properties, "ssl.truststore.", store));
        keystore.ifPresent(store -> storeProperties(properties, "ssl.keystore.", store));
        return Map.copyOf(properties);
    }

    /**
     * @return the servers, the protocol, the SASL mechanism and user and the stores' locations, for logs and
     *         messages: never a password
     */
    public String describe() {
        StringBuilder out = new StringBuilder(bootstrapServersConfig()).append(" (").append(securityProtocol);
        sasl.ifPresent(login -> out.append(", SASL ").append(login.describe()));
        truststore.ifPresent(store -> out.append(", truststore ").append(store.describe()));
        keystore.ifPresent(store -> out.append(", keystore ").append(store.describe()));
        return out.append(')').toString();
    }

    @Override
    public String toString() {
        return "KafkaConnectionSettings[" + describe() + "]";
    }

    private static void storeProperties(Map<String, Object> properties, String prefix, KafkaStore store) {
        properties.put(prefix + "location", store.location());
        if (store.type() != null) {
            properties.put(prefix + "type", store.type());
        }
        if (store.password() != null) {
            properties.put(prefix + "password", new Password(store.password()));
        }
    }

    private static SecurityProtocol protocol(Map<String, String> environment) {
        String value = trimmed(environment, SECURITY_PROTOCOL);
        if (value == null) {
            return SecurityProtocol.PLAINTEXT;
        }
        try {
            return SecurityProtocol.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(SECURITY_PROTOCOL + "='" + value + "' is not allowed: use PLAINTEXT"
                    + " (the default), SSL, SASL_PLAINTEXT or SASL_SSL");
        }
    }

    private static KafkaSasl sasl(Map<String, String> environment, SecurityProtocol protocol) {
        String mechanismName = trimmed(environment, SASL_MECHANISM);
        KafkaSasl.Mechanism mechanism;
        try {
            mechanism = mechanismName == null ? KafkaSasl.Mechanism.PLAIN : KafkaSasl.Mechanism.of(mechanismName);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(SASL_MECHANISM + "='" + mechanismName + "' is not allowed: use PLAIN"
                    + " (the default), SCRAM-SHA-256 or SCRAM-SHA-512");
        }
        String username = trimmed(environment, SASL_USERNAME);
        String password = environment.get(SASL_PASSWORD);
        if (username == null || password == null || password.isEmpty()) {
            throw new IllegalArgumentException(SECURITY_PROTOCOL + "=" + protocol + " needs " + SASL_USERNAME + " and "
                    + SASL_PASSWORD + ": set both (" + (username == null ? SASL_USERNAME : SASL_PASSWORD) + " is unset)");
        }
        return new KafkaSasl(mechanism, username, password);
    }

    private static Optional<KafkaStore> store(Map<String, String> environment, String locationVariable,
                                              String passwordVariable, String typeVariable) {
        String location = trimmed(environment, locationVariable);
        String password = environment.get(passwordVariable);
        String type = trimmed(environment, typeVariable);
        if (location == null) {
            if (password != null && !password.isEmpty() || type != null) {
                throw new IllegalArgumentException((type != null ? typeVariable : passwordVariable) + " is set without "
                        + locationVariable + ": set the store's path too, or unset it");
            }
            return Optional.empty();
        }
        boolean readable;
        try {
            readable = Files.isRegularFile(Path.of(location)) && Files.isReadable(Path.of(location));
        } catch (InvalidPathException notAPath) {
            readable = false;
        }
        if (!readable) {
            throw new IllegalArgumentException(locationVariable + "='" + location + "' is not a readable file: name the"
                    + " store's file");
        }
        try {
            return Optional.of(new KafkaStore(location, password == null || password.isEmpty() ? null : password,
                    type));
        } catch (IllegalArgumentException badType) {
            throw new IllegalArgumentException(typeVariable + "='" + type + "' is not allowed: use JKS, PKCS12 or PEM");
        }
    }

    private static void refuseSet(Map<String, String> environment, SecurityProtocol protocol, String needs,
                                  String... variables) {
        for (String variable : variables) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                throw new IllegalArgumentException(variable + " is set but " + SECURITY_PROTOCOL + " is " + protocol
                        + ": it needs " + needs + "; set " + SECURITY_PROTOCOL + ", or unset " + variable);
            }
        }
    }

    private static String trimmed(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void check(String server) {
        Objects.requireNonNull(server, "a bootstrap server is null");
        int colon = server.lastIndexOf(':');
        String host = colon < 0 ? "" : server.substring(0, colon);
        String port = colon < 0 ? "" : server.substring(colon + 1);
        // A host name or IPv4 address, or an IPv6 address in brackets: without them its port would be ambiguous.
        boolean hostOk = host.matches("[A-Za-z0-9._-]+") || host.matches("\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]");
        if (!hostOk || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("Kafka bootstrap server '" + server + "' is not host:port with a port"
                    + " from 1 to 65535");
        }
    }
}
