package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.hexbus.api.transport.ConnectionUri;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Where RabbitMQ is and how to log in to it. Immutable; {@link #toString()} and {@link #describe()} never show the
 * password.
 *
 * @param host               the host name, IPv4 address or IPv6 address (without brackets)
 * @param port               the port, 1 to 65535
 * @param tls                whether to connect with TLS ({@code amqps://}), verifying the broker's certificate and
 *                           host name
 * @param username           the user
 * @param password           the password, as it is (blanks included)
 * @param virtualHost        the virtual host, e.g. {@code /}
 * @param truststore         the certificates to trust (a PKCS12 or JKS file) when the JVM's own are not enough, or
 *                           null; TLS only
 * @param truststorePassword the truststore's password, or null; only with a truststore
 */
public record RabbitConnectionSettings(String host, int port, boolean tls, String username, String password,
                                       String virtualHost, Path truststore, String truststorePassword) {

    /** The URI: {@code amqp://[user[:password]@]host[:port][/vhost]}, or {@code amqps://}. */
    public static final String URL = "RABBITMQ_URL";
    /** The user, instead of the URI's. */
    public static final String USER = "RABBITMQ_USER";
    /** The password, instead of the URI's; taken as it is, not percent-decoded. */
    public static final String PASSWORD = "RABBITMQ_PASSWORD";
    /** The virtual host, instead of the URI's; taken as it is, not percent-decoded. */
    public static final String VHOST = "RABBITMQ_VHOST";
    /** The truststore's path (PKCS12 or JKS), for {@code amqps://}. */
    public static final String TLS_TRUSTSTORE = "RABBITMQ_TLS_TRUSTSTORE";
    /** The truststore's password. */
    public static final String TLS_TRUSTSTORE_PASSWORD = "RABBITMQ_TLS_TRUSTSTORE_PASSWORD";
    /** Every name {@link #fromEnvironment} reads. */
    public static final Set<String> VARIABLES = Set.of(URL, USER, PASSWORD, VHOST, TLS_TRUSTSTORE,
            TLS_TRUSTSTORE_PASSWORD);

    /** The URI when {@link #URL} is unset. */
    public static final String DEFAULT_URL = "amqp://localhost";
    /** The port of {@code amqp://}. */
    public static final int DEFAULT_PORT = 5672;
    /** The port of {@code amqps://}. */
    public static final int DEFAULT_TLS_PORT = 5671;
    /** The user when the URI names none: RabbitMQ's default user. */
    public static final String DEFAULT_USER = "guest";
    /** The password when the URI names no user. */
    public static final String DEFAULT_PASSWORD = "guest";
    /** The virtual host when the URI has no path. */
    public static final String DEFAULT_VIRTUAL_HOST = "/";

    /** How often the connection's heartbeats go, in seconds: a dead peer is noticed within about twice this. */
    private static final int HEARTBEAT_SECONDS = 15;

    /**
     * Checks the components.
     *
     * @param host               the host name or address
     * @param port               the port
     * @param tls                whether to use TLS
     * @param username           the user
     * @param password           the password
     * @param virtualHost        the virtual host
     * @param truststore         the truststore's path, or null
     * @param truststorePassword the truststore's password, or null
     * @throws IllegalArgumentException naming the component out of bounds (never quoting a password)
     * @throws NullPointerException     if the host, user, password or virtual host is null
     */
    public RabbitConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(virtualHost, "virtualHost");
        if (!ConnectionUri.isHost(host)) {
            throw new IllegalArgumentException("RabbitMQ host '" + host + "' is not a host name, an IPv4 address or an"
                    + " IPv6 address");
        }
        if (host.startsWith("[")) { // one form of an IPv6 address, so that equal settings are equal
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("RabbitMQ port " + port + " is out of range 1-65535");
        }
        if (virtualHost.isEmpty()) {
            throw new IllegalArgumentException("the RabbitMQ virtual host is empty (the default is /)");
        }
        if (truststore != null && !tls) {
            throw new IllegalArgumentException("a truststore needs TLS (amqps://)");
        }
        if (truststorePassword != null && truststore == null) {
            throw new IllegalArgumentException("a truststore password needs a truststore");
        }
    }

    /**
     * Reads an AMQP URI, as RabbitMQ's URI spec writes it: {@code amqp://[user[:password]@]host[:port][/vhost]}, or
     * {@code amqps://} for TLS. The user name, password and virtual host are percent-decoded; in them, every
     * character but letters, digits, {@code -._~}, {@code !$&'()*+,;=} and (in the password) {@code :} must be
     * percent-encoded ({@code @} as {@code %40}, {@code /} as {@code %2F}, {@code %} as {@code %25}, a space as
     * {@code %20}). The port defaults to 5672 ({@code amqps}: 5671); no user means {@code guest}/{@code guest}; no
     * path (or a bare {@code /}) the virtual host {@code /}, else the path is the virtual host ({@code /%2F} is
     * {@code /}). A query or fragment is refused, not ignored.
     *
     * @param uri the URI
     * @return the settings
     * @throws IllegalArgumentException naming {@code RABBITMQ_URL} and what is wrong, never quoting the password
     */
    public static RabbitConnectionSettings parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        return RabbitUri.parse(uri.trim());
    }

    /**
     * Reads the {@link #VARIABLES}: {@code RABBITMQ_URL} (default {@value #DEFAULT_URL}), then, each replacing what
     * the URI says, {@code RABBITMQ_USER}, {@code RABBITMQ_PASSWORD} and {@code RABBITMQ_VHOST}, taken as they are
     * (not percent-decoded); with {@code amqps://}, optionally, {@code RABBITMQ_TLS_TRUSTSTORE} and its
     * {@code _PASSWORD} (else the JVM's trusted certificates). Blank counts as unset, except that a password is
     * taken as it is. A truststore variable set with {@code amqp://} is refused, not ignored; the truststore's file
     * must be readable.
     *
     * @param environment the environment variables (or the merged configuration)
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong; never quoting a password
     */
    public static RabbitConnectionSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String uri = trimmed(environment, URL);
        RabbitConnectionSettings settings = parse(uri == null ? DEFAULT_URL : uri);
        String user = trimmed(environment, USER);
        String password = environment.get(PASSWORD);
        String vhost = trimmed(environment, VHOST);
        Path truststore = null;
        String truststorePassword = null;
        String location = trimmed(environment, TLS_TRUSTSTORE);
        String storePassword = environment.get(TLS_TRUSTSTORE_PASSWORD);
        boolean storePasswordSet = storePassword != null && !storePassword.isEmpty();
        if (!settings.tls() && (location != null || storePasswordSet)) {
            throw new IllegalArgumentException((location != null ? TLS_TRUSTSTORE : TLS_TRUSTSTORE_PASSWORD)
                    + " is set but " + URL + " is amqp://: a truststore needs amqps://; use amqps://, or unset it");
        }
        if (location == null && storePasswordSet) {
            throw new IllegalArgumentException(TLS_TRUSTSTORE_PASSWORD + " is set without " + TLS_TRUSTSTORE
                    + ": set the store's path too, or unset it");
        }
        if (location != null) {
            truststore = readable(location);
            truststorePassword = storePasswordSet ? storePassword : null;
        }
        return new RabbitConnectionSettings(settings.host(), settings.port(), settings.tls(),
                user != null ? user : settings.username(),
                password != null && !password.isEmpty() ? password : settings.password(),
                vhost != null ? vhost : settings.virtualHost(), truststore, truststorePassword);
    }

    /**
     * Opens a connection: without automatic recovery or topology recovery (a lost connection stays lost: whoever
     * holds it opens another, so that nothing is redeclared or resubscribed behind the engine's back), with
     * connecting, the handshake and every RPC call on its channels bounded by {@code timeout}, and heartbeats every
     * 15 seconds. Blocks until it is open.
     *
     * @param connectionName the name the broker shows for it (management UI, {@code rabbitmqctl list_connections})
     * @param timeout        how long connecting, and each later RPC call on its channels, may take; positive
     * @return the open connection; close it when done
     * @throws TransportTimeoutException     if the broker did not answer within {@code timeout}, naming it
     * @throws TransportUnavailableException if it cannot be reached, refused the login or the virtual host, or the
     *                                       TLS handshake failed, naming it ({@link #describe()}) and the reason
     */
    public Connection connect(String connectionName, Duration timeout) {
        Objects.requireNonNull(connectionName, "connectionName");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setChannelRpcTimeout(millis);
        factory.setShutdownTimeout(millis);
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        try {
            if (tls) {
                factory.useSslProtocol(sslContext());
                factory.enableHostnameVerification();
            }
            return factory.newConnection(connectionName);
        } catch (TimeoutException | SocketTimeoutException e) {
            throw new TransportTimeoutException("RabbitMQ at " + describe() + " did not answer within " + millis
                    + " ms while connecting: " + e.getMessage(), e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TransportUnavailableException("cannot connect to RabbitMQ at " + describe() + ": "
                    + RabbitCalls.reason(e), e);
        }
    }

    /**
     * @return where RabbitMQ is, for logs and messages: scheme, user, host, port and virtual host, never the
     *         password; e.g. {@code amqp://guest@127.0.0.1:5672 vhost /}
     */
    public String describe() {
        return (tls ? "amqps://" : "amqp://") + username + "@" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + ":" + port + " vhost " + virtualHost + (truststore != null ? " truststore " + truststore : "");
    }

    @Override
    public String toString() {
        return "RabbitConnectionSettings[" + describe() + ", password=***"
                + (truststorePassword != null ? ", truststorePassword=***" : "") + "]";
    }

    private SSLContext sslContext() throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        if (truststore == null) {
            context.init(null, null, null); // the JVM's trusted certificates
            return context;
        }
        // The default type (PKCS12 on Java 17) also reads JKS files.
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, truststorePassword == null ? null : truststorePassword.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static Path readable(String location) {
        try {
            Path path = Path.of(location);
            if (Files.isRegularFile(path) && Files.isReadable(path)) {
                return path;
            }
        } catch (InvalidPathException notAPath) {
            // refused below
        }
        throw new IllegalArgumentException(TLS_TRUSTSTORE + "='" + location + "' is not a readable file: name the"
                + " truststore's file");
    }

    private static String trimmed(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
