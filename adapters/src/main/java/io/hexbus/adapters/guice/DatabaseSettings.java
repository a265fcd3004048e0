package io.hexbus.adapters.guice;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the application's PostgreSQL is, for {@link OutboxModule}: read from {@value #URL} (and the pool's size
 * from {@value #POOL_SIZE}). When {@value #URL} is unset there is no database: the app keeps everything in memory.
 *
 * <p>{@value #URL} is either a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=…&password=…}, used as it is)
 * or a libpq-style URL ({@code postgres://user:password@host:5432/db?sslmode=require}, or {@code postgresql://}),
 * whose user and password are taken out of it and percent-decoded; a password with reserved characters should be
 * percent-encoded ({@code p%40ss}), and is also read when it is not, up to the last {@code @}.
 *
 * <p>Immutable. No method shows the password: {@link #describe()} and {@link #toString()} mask it, and an invalid
 * value is refused without quoting it.
 *
 * @param jdbcUrl  the JDBC URL the pool connects to; it may carry the user and password as parameters
 * @param user     the user, when not in {@code jdbcUrl}
 * @param password the password, when not in {@code jdbcUrl}
 * @param poolSize the most connections the pool opens
 */
public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize) {

    /** The variable naming the database. */
    public static final String URL = "DATABASE_URL";
    /** The variable setting the pool's size. */
    public static final String POOL_SIZE = "HEXBUS_DATABASE_POOL_SIZE";
    /** The pool's size when {@link #POOL_SIZE} is unset. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** Every name {@link #fromConfiguration} reads. */
    public static final Set<String> VARIABLES = Set.of(URL, POOL_SIZE);

    private static final String MASK = "****";
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&]password=)[^&]*",
            Pattern.CASE_INSENSITIVE);
    private static final String FORMS = "use jdbc:postgresql://host:5432/db?user=…&password=… or"
            + " postgres://user:password@host:5432/db (the value is not shown: it may hold a password)";

    /**
     * @param jdbcUrl  the JDBC URL the pool connects to; it may carry the user and password as parameters
     * @param user     the user, when not in {@code jdbcUrl}
     * @param password the password, when not in {@code jdbcUrl}
     * @param poolSize the most connections the pool opens, from 2 (a use case and the relay) to 1,000
     */
    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL; " + FORMS);
        }
        if (poolSize < 2 || poolSize > 1_000) {
            throw new IllegalArgumentException("poolSize " + poolSize + " is not from 2 to 1000");
        }
    }

    /**
     * Reads and checks the settings.
     *
     * @param config the merged configuration: the environment over the configuration file
     * @return the settings, or empty when {@value #URL} is unset
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed forms, never
     *                                  quoting the URL
     */
    public static Optional<DatabaseSettings> fromConfiguration(Map<String, String> config) {
        String url = SettingValues.trimmed(config, URL);
        int poolSize = SettingValues.wholeNumber(config, POOL_SIZE, DEFAULT_POOL_SIZE, 2, 1_000,
                "connections in the database pool, the outbox relay's included");
        if (url == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(url).withPoolSize(poolSize));
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(URL + " is not a PostgreSQL URL: " + invalid.getMessage());
        }
    }

    /**
     * @param url a JDBC URL or a {@code postgres://} URL
     * @return the settings with the default pool size
     * @throws IllegalArgumentException if it is neither, saying why without quoting it
     */
    public static DatabaseSettings parse(String url) {
        String trimmed = Objects.requireNonNull(url, "url").trim();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return new DatabaseSettings(trimmed, Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE);
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("postgres://")) {
            rest = trimmed.substring("postgres://".length());
        } else if (lower.startsWith("postgresql://")) {
            rest = trimmed.substring("postgresql://".length());
        } else {
            throw new IllegalArgumentException("it starts with neither jdbc:postgresql: nor postgres://; " + FORMS);
        }
        // The last '@' ends the user and password: an '@' in an unencoded password is then still theirs.
        int at = rest.lastIndexOf('@');
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String name = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = name.isEmpty() ? Optional.empty() : Optional.of(percentDecoded(name));
            password = colon < 0 ? Optional.empty() : Optional.of(percentDecoded(userInfo.substring(colon + 1)));
        }
        int slash = rest.indexOf('/');
        String hostAndPort = slash < 0 ? rest : rest.substring(0, slash);
        if (hostAndPort.isEmpty() || hostAndPort.contains("?")) {
            throw new IllegalArgumentException("it names no host; " + FORMS);
        }
        String pathAndQuery = slash < 0 ? "/" : rest.substring(slash);
        return new DatabaseSettings("jdbc:postgresql://" + hostAndPort + pathAndQuery, user, password,
                DEFAULT_POOL_SIZE);
    }

    /**
     * @param poolSize the most connections the pool opens
     * @return these settings with that pool size
     */
    public DatabaseSettings withPoolSize(int poolSize) {
        return new DatabaseSettings(jdbcUrl, user, password, poolSize);
    }

    /**
     * @return where the database is and as whom, the password masked, for the start-up log
     */
    public String describe() {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1" + MASK)
                + user.map(name -> " as user '" + name + "'").orElse("")
                + password.map(secret -> " (password " + MASK + ")").orElse("")
                + ", pool of " + poolSize;
    }

    /**
     * @return {@link #describe()}: never the password
     */
    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + "]";
    }

    /** Decodes {@code %XX} escapes (UTF-8); leaves the text as it is when it holds an invalid one. */
    static String percentDecoded(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return text;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return text; // a raw '%' in an unencoded password
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
