package io.hexbus.sample.shared;

import io.vavr.collection.Seq;

import java.util.List;
import java.util.Objects;

/**
 * Why a use case refused a command and published nothing: the left side of its {@code Either}.
 *
 * @param kind    the kind of refusal, for a caller that maps it (to an HTTP status, for example)
 * @param reasons what was wrong, in words; at least one
 */
public record Refusal(Kind kind, List<String> reasons) {

    /** The kinds of refusal. */
    public enum Kind {
        /** The input breaks a rule of its own (a missing field, an address that is not one). */
        INVALID_INPUT,
        /** Something the command names does not exist. */
        NOT_FOUND,
        /** The command clashes with the current state (already a member, already paid). */
        CONFLICT
    }

    /**
     * Checks the components and copies the reasons.
     *
     * @param kind    the kind of refusal
     * @param reasons what was wrong, in words; at least one
     */
    public Refusal {
        Objects.requireNonNull(kind, "kind");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a Refusal needs at least one reason");
        }
    }

    /**
     * @param problems the broken payload rules
     * @return an {@link Kind#INVALID_INPUT} refusal
     */
    public static Refusal invalid(Seq<String> problems) {
        return new Refusal(Kind.INVALID_INPUT, problems.asJava());
    }

    /**
     * @param reason what was not found
     * @return a {@link Kind#NOT_FOUND} refusal
     */
    public static Refusal notFound(String reason) {
        return new Refusal(Kind.NOT_FOUND, List.of(reason));
    }

    /**
     * @param reason what clashes
     * @return a {@link Kind#CONFLICT} refusal
     */
    public static Refusal conflict(String reason) {
        return new Refusal(Kind.CONFLICT, List.of(reason));
    }
}
