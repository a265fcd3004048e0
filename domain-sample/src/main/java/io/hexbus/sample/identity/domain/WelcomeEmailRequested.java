package io.hexbus.sample.identity.domain;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.ValidatedPayload;
import io.vavr.collection.Seq;
import io.vavr.control.Validation;

import java.time.Instant;
import java.util.UUID;

/**
 * A user signed up and is to be welcomed by mail.
 *
 * @param eventId     the event id
 * @param occurredAt  when the user signed up
 * @param metadata    correlation and actor (the new user)
 * @param userId      the new user
 * @param email       where the welcome goes
 * @param displayName how the mail addresses the user
 */
@EventName(WelcomeEmailRequested.NAME)
public record WelcomeEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String userId,
                                    String email, String displayName)
        implements DomainEvent, ValidatedPayload<WelcomeEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "identity.welcome-email-requested";

    @Override
    public Validation<Seq<String>, WelcomeEmailRequested> validate() {
        return PayloadChecks.start().text("userId", userId).email("email", email).text("displayName", displayName)
                .result(this);
    }
}
