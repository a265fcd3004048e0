package io.hexbus.sample.shared;

import io.vavr.collection.List;
import io.vavr.collection.Seq;
import io.vavr.control.Validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * Collects the broken rules of a payload, field by field, so a caller sees all of them at once.
 *
 * <pre>{@code
 * return PayloadChecks.start().email("email", email).text("displayName", displayName).result(this);
 * }</pre>
 *
 * <p>Messages name the field and the rule, never the value: payloads may hold personal data, and the
 * messages end up in logs and dead-letter queues. Not thread-safe: one instance per check.
 */
public final class PayloadChecks {

    /** The longest single-line text field accepted. */
    public static final int MAX_TEXT_LENGTH = 200;

    // Deliberately simple: one @, no spaces or angle brackets, a dot in the domain. The SMTP server decides the rest.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");

    private final java.util.List<String> problems = new ArrayList<>();

    private PayloadChecks() {
    }

    /**
     * @return a check with no problems yet
     */
    public static PayloadChecks start() {
        return new PayloadChecks();
    }

    /**
     * Requires a value.
     *
     * @param field the field name
     * @param value the value, possibly null
     * @return this check
     */
    public PayloadChecks present(String field, Object value) {
        if (value == null) {
            problems.add(field + " is missing");
        }
        return this;
    }

    /**
     * Requires one line of text: present, not blank, without line breaks, at most {@link #MAX_TEXT_LENGTH}
     * characters.
     *
     * @param field the field name
     * @param value the value, possibly null
     * @return this check
     */
    public PayloadChecks text(String field, String value) {
        return text(field, value, MAX_TEXT_LENGTH);
    }

    /**
     * Requires one line of text: present, not blank, without line breaks, at most {@code maxLength} characters.
     *
     * @param field     the field name
     * @param value     the value, possibly null
     * @param maxLength the longest value accepted
     * @return this check
     */
    public PayloadChecks text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (value.length() > maxLength) {
            problems.add(field + " is longer than " + maxLength + " characters");
        } else if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            problems.add(field + " contains a line break");
        }
        return this;
    }

    /**
     * Requires an email address.
     *
     * @param field the field name
     * @param value the value, possibly null
     * @return this check
     */
    public PayloadChecks email(String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (value.length() > MAX_TEXT_LENGTH || !EMAIL.matcher(value).matches()) {
            problems.add(field + " is not an email address");
        }
        return this;
    }

    /**
     * Requires an absolute {@code https} or {@code http} link.
     *
     * @param field the field name
     * @param value the value, possibly null
     * @return this check
     */
    public PayloadChecks link(String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
            return this;
        }
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(field + " is not an absolute http(s) link");
            }
        } catch (URISyntaxException malformed) {
            problems.add(field + " is not a valid link");
        }
        return this;
    }

    /**
     * Requires a positive amount of money.
     *
     * @param field the field name
     * @param value the value, possibly null
     * @return this check
     */
    public PayloadChecks positive(String field, Money value) {
        if (value == null) {
            problems.add(field + " is missing");
        } else if (!value.isPositive()) {
            problems.add(field + " is not positive");
        }
        return this;
    }

    /**
     * Adds a problem when a condition does not hold, for a rule the other checks do not cover.
     *
     * @param holds   whether the rule holds
     * @param problem the problem to report when it does not, naming the field
     * @return this check
     */
    public PayloadChecks require(boolean holds, String problem) {
        if (!holds) {
            problems.add(problem);
        }
        return this;
    }

    /**
     * @param value the value that was checked
     * @param <T>   its type
     * @return the value when no rule was broken, otherwise every problem, in the order checked
     */
    public <T> Validation<Seq<String>, T> result(T value) {
        return problems.isEmpty() ? Validation.valid(value) : Validation.invalid(List.ofAll(problems));
    }
}
