package io.hexbus.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a Kafka cluster is: its bootstrap servers, the brokers a client first asks for the cluster's metadata.
 * Immutable.
 *
 * @param bootstrapServers one or more {@code host:port} addresses ({@code [address]:port} for an IPv6 address),
 *                         in the order given
 */
public record KafkaConnectionSettings(List<String> bootstrapServers) {

    /**
     * Checks the addresses.
     *
     * @param bootstrapServers one or more {@code host:port} addresses
     * @throws IllegalArgumentException if there is none, or naming the one that is not {@code host:port} with a
     *                                  port from 1 to 65535
     */
    public KafkaConnectionSettings {
        bootstrapServers = List.copyOf(Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("no Kafka bootstrap server");
        }
        bootstrapServers.forEach(KafkaConnectionSettings::check);
    }

    /**
     * Reads the form of {@code KAFKA_BOOTSTRAP_SERVERS} and of the clients' {@code bootstrap.servers}: addresses
     * separated by commas, blanks around them ignored.
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

    /** @return the addresses separated by commas, as the clients' {@code bootstrap.servers} takes them */
    public String bootstrapServersConfig() {
        return String.join(",", bootstrapServers);
    }

    /** @return the configuration every Kafka client of these settings starts from: {@code bootstrap.servers} */
    public Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrapServersConfig());
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
