package io.hexbus.app;

import io.hexbus.adapters.guice.DatabaseSettings;
import io.hexbus.adapters.guice.KafkaTransportSettings;
import io.hexbus.adapters.guice.RabbitTransportSettings;
import io.hexbus.adapters.guice.RedisTransportSettings;
import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.adapters.mail.SmtpSettings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The names the app reads, and what to say about a name that is none of them, so that a typo in a name is never
 * silent: an unknown key in the configuration file stops the app; an environment variable that looks like one of
 * ours (our prefixes, or a near miss of a known name) is warned about. Pure functions of the known names and the
 * given names; no value is ever looked at or quoted.
 */
final class ConfigKeys {

    /** Every name the app reads, from the environment or the configuration file. */
    static final Set<String> KNOWN = Set.copyOf(new TreeSet<>(concat(concat(concat(concat(
            RedisTransportSettings.VARIABLES, KafkaTransportSettings.VARIABLES), RabbitTransportSettings.VARIABLES),
            DatabaseSettings.VARIABLES), List.of(
            TransportChoice.VARIABLE, QueueChoice.VARIABLE, Mode.VARIABLE, AppConfig.CONFIG_FILE,
            AppConfig.SHUTDOWN_DEADLINE, AppConfig.RETRY_MAX, AppConfig.RETRY_BACKOFF,
            AppConfig.DISABLED_SUBSCRIPTIONS,
            SmtpSettings.HOST, SmtpSettings.PORT, SmtpSettings.USER, SmtpSettings.PASSWORD, SmtpSettings.TLS,
            SmtpSettings.FROM,
            HttpSettings.ENABLED, HttpSettings.HOST, HttpSettings.PORT, HttpSettings.ADMIN_TOKEN,
            HttpSettings.ADMIN_INSECURE))));

    /** Prefixes of the names the app reads: an unknown name with one of them is most likely a typo. */
    static final List<String> PREFIXES = List.of("HEXBUS_", "USE_QUEUE_", "REDIS_", "KAFKA_", "RABBITMQ_", "SMTP_", "HTTP_",
            "MAIL_");

    /** The largest edit distance at which an unknown name counts as a near miss of a known one. */
    static final int NEAR = 2;
    /** The longest name compared with the known ones. */
    static final int LONGEST = 128;

    // Set by others for other programs, though they share a prefix: the usual proxy variable, and the service
    // links Kubernetes adds for a service named redis, smtp or http (REDIS_SERVICE_HOST, REDIS_PORT_6379_TCP...).
    private static final Pattern FOREIGN = Pattern.compile("HTTP_PROXY|[A-Z0-9_]+_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?"
            + "|[A-Z0-9_]+_PORT_[0-9]+_(TCP|UDP|SCTP)(_[A-Z]+)?");
    private static final Pattern SHOWABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    static final String HIDDEN_KEY = "(a key not near any name this app reads, not shown: it could be a password on a"
            + " line of its own)";

    private ConfigKeys() {
    }

    private static List<String> concat(Collection<String> first, Collection<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * @param known the names the app reads
     * @param names the names of the environment's variables
     * @return one warning for each name that looks meant for this app but is not one it reads, in name order
     */
    static List<String> environmentWarnings(Set<String> known, Collection<String> names) {
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (known.contains(name) || FOREIGN.matcher(name).matches()) {
                continue;
            }
            Optional<String> near = nearest(known, name).filter(key -> distance(key, name) <= NEAR);
            boolean ours = PREFIXES.stream().anyMatch(name::startsWith);
            if (near.isPresent()) {
                warnings.add("Environment variable " + name + " is not one this app reads, so it is ignored: did you"
                        + " mean " + near.get() + "?");
            } else if (ours) {
                warnings.add("Environment variable " + name + " is not one this app reads, so it is ignored (see"
                        + " docs/running.md for the names)");
            }
        }
        return warnings;
    }

    /**
     * @param known the names the file may hold
     * @param keys  the keys of the configuration file
     * @return the one-line reason to refuse the file, naming each unknown key and the nearest known one; empty
     *         when every key is known
     */
    static Optional<String> unknownFileKeys(Set<String> known, Collection<String> keys) {
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            if (!known.contains(key)) {
                Optional<String> near = nearest(known, key).filter(name -> distance(name, key) <= NEAR);
                boolean ours = PREFIXES.stream().anyMatch(prefix -> key.toUpperCase(Locale.ROOT).startsWith(prefix));
                // Only a key that looks meant for this app is quoted: a bare line such as a pasted password is
                // read as a key too.
                if (SHOWABLE.matcher(key).matches() && (near.isPresent() || ours)) {
                    unknown.add(key + near.map(name -> " (nearest known key: " + name + ")").orElse(""));
                } else {
                    unknown.add(HIDDEN_KEY);
                }
            }
        }
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((unknown.size() == 1 ? "an unknown key " : "unknown keys ") + String.join(", ", unknown));
    }

    /**
     * @param known the known names
     * @param name  any name
     * @return the known name at the smallest edit distance (ignoring case), the first in alphabetical order on a
     *         tie; empty when nothing is known or the name is longer than {@value #LONGEST} characters
     */
    static Optional<String> nearest(Set<String> known, String name) {
        if (name.length() > LONGEST) { // a distance costs length x length; no known name is near one that long
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : new TreeSet<>(known)) {
            int d = distance(key, name);
            if (d < bestDistance) {
                best = key;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The optimal string alignment distance (Levenshtein plus the swap of two neighbours), ignoring case.
     *
     * @param a one name
     * @param b another
     * @return how many insertions, deletions, substitutions and swaps of neighbours turn one into the other
     */
    static int distance(String a, String b) {
        String s = a.toUpperCase(Locale.ROOT);
        String t = b.toUpperCase(Locale.ROOT);
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[s.length()][t.length()];
    }
}
