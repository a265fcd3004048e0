package io.hexbus.kafka;

import io.hexbus.kafka.KafkaConnectionSettings.SecurityProtocol;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.security.auth.login.AppConfigurationEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KAFKA_BOOTSTRAP_SERVERS's form (host:port addresses separated by commas), and the TLS and SASL settings: read from
 * the environment with errors naming the variable, handed to the clients as Kafka reads them, never shown.
 */
class KafkaConnectionSettingsTest {

    /** A password with every character the JAAS grammar or a log could trip on. */
    private static final String NASTY = " p\"a;s=s\\w o'r}d{\n\t;= ";

    @Test
    void addressesSeparatedByCommasKeepTheirOrderWithoutBlanks() {
        KafkaConnectionSettings settings = KafkaConnectionSettings.parse(" kafka-2:9092, 10.0.0.1:19092 ,[::1]:9093");

        assertEquals(List.of("kafka-2:9092", "10.0.0.1:19092", "[::1]:9093"), settings.bootstrapServers());
        assertEquals(Map.of("bootstrap.servers", "kafka-2:9092,10.0.0.1:19092,[::1]:9093"), settings.clientProperties());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "kafka", "kafka:", ":9092", "kafka:0", "kafka:65536", "kafka:+9092", "::1:9092",
            "kafka:9092,", "kafka:9092,,kafka-2:9092", "[]:9092", "user@kafka:9092", "kafka :9092"})
    void anAddressThatIsNotHostAndPortIsRefusedByName(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaConnectionSettings.parse(value));

        assertTrue(refused.getMessage().contains("is not host:port"), refused.getMessage());
    }

    @Test
    void noAddressIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KafkaConnectionSettings(List.of()));
    }

    @Test
    void theEnvironmentDefaultsToPlainTextOnLocalhost() {
        KafkaConnectionSettings settings = KafkaConnectionSettings.fromEnvironment(Map.of());

        assertEquals(List.of("localhost:9092"), settings.bootstrapServers());
        assertEquals(SecurityProtocol.PLAINTEXT, settings.securityProtocol());
        assertEquals(Map.of("bootstrap.servers", "localhost:9092"), settings.clientProperties());
    }

    @Test
    void saslSslWithScramGivesTheClientsTheProtocolMechanismAndAJaasConfigThatReadsBackTheExactPassword() {
        KafkaConnectionSettings settings = KafkaConnectionSettings.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093,kafka-2:9093", "KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_SASL_MECHANISM", "scram-sha-512", "KAFKA_SASL_USERNAME", "billing \"svc\"",
                "KAFKA_SASL_PASSWORD", NASTY));

        Map<String, Object> properties = settings.clientProperties();
        assertEquals("SASL_SSL", properties.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
        Password jaas = assertInstanceOf(Password.class, properties.get("sasl.jaas.config"));
        AppConfigurationEntry entry = entries(jaas).get(0);
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
        assertEquals(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, entry.getControlFlag());
        assertEquals(Map.of("username", "billing \"svc\"", "password", NASTY), entry.getOptions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "\\", ";", "=", " ", "a b", "\\\"", "\u0000\u007f\r", "pässwörd€",
            "'", "x\"; y=\"z"})
    void everyPasswordReadsBackFromTheJaasConfigAsItWasGiven(String password) {
        KafkaSasl sasl = new KafkaSasl(KafkaSasl.Mechanism.PLAIN, "u", password);

        List<AppConfigurationEntry> entries = entries(new Password(sasl.jaasConfig()));

        assertEquals(1, entries.size());
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule", entries.get(0).getLoginModuleName());
        assertEquals(password, entries.get(0).getOptions().get("password"));
        assertEquals(2, entries.get(0).getOptions().size(), "no option injected by the password");
    }

    @Test
    void theStoresAreGivenWithTheirTypeAndPasswordsAsPasswords(@TempDir Path directory) throws IOException {
        Path trust = Files.writeString(directory.resolve("trust.p12"), "not read here");
        Path keys = Files.writeString(directory.resolve("client.pem"), "not read here");
        KafkaConnectionSettings settings = KafkaConnectionSettings.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", NASTY, "KAFKA_SSL_TRUSTSTORE_TYPE", "pkcs12",
                "KAFKA_SSL_KEYSTORE_LOCATION", keys.toString(), "KAFKA_SSL_KEYSTORE_TYPE", "PEM"));

        Map<String, Object> properties = settings.clientProperties();
        assertEquals("SSL", properties.get("security.protocol"));
        assertEquals(trust.toString(), properties.get("ssl.truststore.location"));
        assertEquals("PKCS12", properties.get("ssl.truststore.type"));
        assertEquals(new Password(NASTY), properties.get("ssl.truststore.password"), "untrimmed, as a Password");
        assertEquals(keys.toString(), properties.get("ssl.keystore.location"));
        assertEquals("PEM", properties.get("ssl.keystore.type"));
        assertFalse(properties.containsKey("ssl.keystore.password"));
        assertFalse(properties.containsKey("sasl.jaas.config"));
    }

    @Test
    void noDescriptionNorAnyConfigurationAKafkaClientLogsShowsAPassword(@TempDir Path directory) throws IOException {
        Path trust = Files.writeString(directory.resolve("trust.jks"), "x");
        Path keys = Files.writeString(directory.resolve("keys.jks"), "x");
        String saslSecret = "sasl-" + NASTY;
        String trustSecret = "trust-" + NASTY;
        String keySecret = "key-" + NASTY;
        KafkaConnectionSettings settings = KafkaConnectionSettings.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", saslSecret,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString(), "KAFKA_SSL_TRUSTSTORE_PASSWORD", trustSecret,
                "KAFKA_SSL_KEYSTORE_LOCATION", keys.toString(), "KAFKA_SSL_KEYSTORE_PASSWORD", keySecret));

        Map<String, Object> producer = new HashMap<>(settings.clientProperties());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        Map<String, Object> consumer = new HashMap<>(settings.clientProperties());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        // What a client logs at INFO when it starts: each of its values, as AbstractConfig holds them.
        List<AbstractConfig> logged = List.of(new ProducerConfig(producer), new ConsumerConfig(consumer),
                new AdminClientConfig(settings.clientProperties()));
        List<String> shown = new java.util.ArrayList<>(List.of(settings.toString(), settings.describe(),
                settings.sasl().orElseThrow().toString(), settings.truststore().orElseThrow().toString(),
                settings.keystore().orElseThrow().toString(), settings.clientProperties().toString()));
        logged.forEach(config -> shown.add(config.values().toString()));

        for (String text : shown) {
            for (String secret : List.of(saslSecret, trustSecret, keySecret)) {
                assertFalse(text.contains(secret.strip()), () -> "a password in: " + text);
                assertFalse(text.contains("p\"a;s=s"), () -> "part of a password in: " + text);
            }
        }
        assertTrue(settings.describe().contains("SASL_SSL") && settings.describe().contains("user 'svc'")
                && settings.describe().contains(trust.toString()), settings::describe);
        assertEquals(new Password(saslSecret).toString(), "[hidden]");
        logged.forEach(config -> assertEquals(List.of("[hidden]", "[hidden]", "[hidden]"), List.of(
                String.valueOf(config.values().get("sasl.jaas.config")),
                String.valueOf(config.values().get("ssl.truststore.password")),
                String.valueOf(config.values().get("ssl.keystore.password")))));
    }

    @Test
    void eachBadValueIsRefusedNamingItsVariableAndNeverQuotingAPassword(@TempDir Path directory) throws IOException {
        Path trust = Files.writeString(directory.resolve("trust.jks"), "x");
        assertRefused("KAFKA_BOOTSTRAP_SERVERS='kafka' is not allowed", Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka"));
        assertRefused("KAFKA_SECURITY_PROTOCOL='TLS' is not allowed: use PLAINTEXT (the default), SSL, SASL_PLAINTEXT"
                + " or SASL_SSL", Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"));
        assertRefused("KAFKA_SASL_MECHANISM='GSSAPI' is not allowed: use PLAIN (the default), SCRAM-SHA-256 or"
                + " SCRAM-SHA-512", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "GSSAPI",
                "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", NASTY));
        assertRefused("KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both"
                + " (KAFKA_SASL_PASSWORD is unset)", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "u"));
        assertRefused("KAFKA_SASL_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: it needs a SASL protocol",
                Map.of("KAFKA_SASL_PASSWORD", NASTY));
        assertRefused("KAFKA_SSL_TRUSTSTORE_LOCATION is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT: it needs a"
                + " TLS protocol", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD", NASTY, "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString()));
        assertRefused("KAFKA_SSL_TRUSTSTORE_LOCATION='" + directory.resolve("missing.jks") + "' is not a readable file",
                Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_LOCATION",
                        directory.resolve("missing.jks").toString()));
        assertRefused("KAFKA_SSL_KEYSTORE_PASSWORD is set without KAFKA_SSL_KEYSTORE_LOCATION",
                Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_KEYSTORE_PASSWORD", NASTY));
        assertRefused("KAFKA_SSL_TRUSTSTORE_TYPE='P12' is not allowed: use JKS, PKCS12 or PEM",
                Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString(),
                        "KAFKA_SSL_TRUSTSTORE_TYPE", "P12"));
    }

    @Test
    void theRecordRefusesALoginOrStoresThatDoNotFitItsProtocol() {
        KafkaConnectionSettings plain = KafkaConnectionSettings.parse("kafka:9092");
        Optional<KafkaSasl> login = Optional.of(new KafkaSasl(KafkaSasl.Mechanism.SCRAM_SHA_256, "u", "p"));

        assertThrows(IllegalArgumentException.class, () -> plain.withSasl(login));
        assertThrows(IllegalArgumentException.class, () -> plain.withSecurityProtocol(SecurityProtocol.SASL_SSL));
        assertThrows(IllegalArgumentException.class, () -> plain.withTruststore(Optional.of(KafkaStore.at("/t.jks"))));
        KafkaConnectionSettings tls = plain.withSecurityProtocol(SecurityProtocol.SSL)
                .withTruststore(Optional.of(KafkaStore.at("/t.jks").withType("jks").withPassword("secret")));
        assertEquals("kafka:9092 (SSL, truststore /t.jks (JKS))", tls.describe());
        assertEquals("KafkaConnectionSettings[kafka:9092 (SSL, truststore /t.jks (JKS))]", tls.toString());
    }

    /** Reads a JAAS configuration as a Kafka client does. */
    private static List<AppConfigurationEntry> entries(Password jaasConfig) {
        return JaasContext.loadClientContext(Map.of("sasl.jaas.config", jaasConfig)).configurationEntries();
    }

    private static void assertRefused(String start, Map<String, String> environment) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaConnectionSettings.fromEnvironment(environment));
        assertTrue(refused.getMessage().startsWith(start), refused.getMessage());
        assertFalse(refused.getMessage().contains("p\"a;s=s"), refused.getMessage());
    }
}
