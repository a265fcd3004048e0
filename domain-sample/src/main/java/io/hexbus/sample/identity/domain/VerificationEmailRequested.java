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
 * A user asked to confirm their address; the mail carries the confirmation link.
 *
 * @param eventId          the event id
 * @param occurredAt       when it was asked
 * @param metadata         correlation and actor (the user)
 * @param userId           the user
 * @param email            the address to confirm, where the mail goes
 * @param displayName      how the mail addresses the user
 * @param verificationLink the link that confirms the address
 * @param expiresAt        when the link stops working
 */
@EventName(VerificationEmailRequested.NAME)
public record VerificationEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String userId,
                                         String email, String displayName, String verificationLink,
                                         Instant expiresAt)
        implements DomainEvent, ValidatedPayload<VerificationEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "identity.verification-email-requested";

    @Override
    public Validation<Seq<String>, VerificationEmailRequested> validate() {
        return PayloadChecks.start().text("userId", userId).email("email", email).text("displayName", displayName)
                .link("verificationLink", verificationLink).present("expiresAt", expiresAt)
                .result(this);
    }
}
