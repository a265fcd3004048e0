package io.hexbus.sample.mail;

import io.hexbus.sample.shared.PayloadChecks;

import java.util.Objects;

/**
 * One plain-text mail to one recipient. The sender is the mailer's to choose. Immutable.
 *
 * @param to       the recipient's address
 * @param subject  one line, at most {@value #MAX_SUBJECT_LENGTH} characters
 * @param textBody the plain-text body
 */
public record Mail(String to, String subject, String textBody) {

    /** The longest subject accepted: a header line's limit in RFC 5322, less room for the header's name. */
    public static final int MAX_SUBJECT_LENGTH = 900;

    /**
     * Checks the recipient and the subject (one line: a line break would let a value forge mail headers).
     *
     * @param to       the recipient's address
     * @param subject  one line
     * @param textBody the plain-text body
     * @throws IllegalArgumentException naming every broken rule
     */
    public Mail {
        Objects.requireNonNull(textBody, "textBody");
        PayloadChecks.start().email("to", to).text("subject", subject, MAX_SUBJECT_LENGTH).result(this)
                .toEither().getOrElseThrow(problems -> new IllegalArgumentException("invalid mail: " + problems.mkString("; ")));
    }

    /**
     * The body is left out: it may hold personal data and links with tokens.
     *
     * @return the recipient and the subject
     */
    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]";
    }
}
