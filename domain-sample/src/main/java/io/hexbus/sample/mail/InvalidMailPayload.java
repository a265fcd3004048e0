package io.hexbus.sample.mail;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.api.handling.NonRetryable;
import io.vavr.collection.Seq;

/**
 * An event asked for a mail with a payload that breaks its rules (a missing recipient, an address that is not
 * one). Non-retryable: the same payload fails the same way every time, so a retrying transport dead-letters it
 * at once. The message names the event and the broken rules, never the payload's values.
 */
public class InvalidMailPayload extends IllegalArgumentException implements NonRetryable {

    private static final long serialVersionUID = 1L;

    /**
     * @param event    the event whose payload is invalid
     * @param problems the broken rules, at least one
     */
    public InvalidMailPayload(DomainEvent event, Seq<String> problems) {
        super("invalid payload in " + nameOf(event) + " " + event.eventId() + ": " + problems.mkString("; "));
    }

    private static String nameOf(DomainEvent event) {
        EventName name = event.getClass().getAnnotation(EventName.class);
        return name != null ? name.value() : event.getClass().getSimpleName();
    }
}
