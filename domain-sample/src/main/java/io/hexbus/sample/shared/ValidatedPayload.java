package io.hexbus.sample.shared;

import io.vavr.collection.Seq;
import io.vavr.control.Validation;

/**
 * An event that can check its own payload.
 *
 * <p>Events are plain records that accept any values, so that a transport can always carry one, even a bad
 * one read from the wire. The rules live in {@link #validate()}: a use case runs them before it publishes
 * (and refuses the input when they fail), and a handler runs them before it acts (and fails with a
 * non-retryable error when they fail, since retrying cannot fix a payload).
 *
 * @param <E> the event type itself
 */
public interface ValidatedPayload<E> {

    /**
     * Checks every payload field.
     *
     * @return this event when every rule holds, or every broken rule (naming the field, never its value)
     */
    Validation<Seq<String>, E> validate();
}
