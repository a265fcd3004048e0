package io.hexbus.sample.membership.domain;

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
 * Someone joined a business and is to be welcomed to it by mail.
 *
 * @param eventId      the event id
 * @param occurredAt   when they joined
 * @param metadata     correlation, tenant (the business) and actor (the new member)
 * @param businessId   the business
 * @param businessName its name, as the mail shows it
 * @param memberEmail  where the welcome goes
 * @param memberName   how the mail addresses the member
 * @param role         the member's role
 */
@EventName(MemberWelcomeEmailRequested.NAME)
public record MemberWelcomeEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                          String businessId, String businessName, String memberEmail,
                                          String memberName, MemberRole role)
        implements DomainEvent, ValidatedPayload<MemberWelcomeEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "membership.member-welcome-email-requested";

    @Override
    public Validation<Seq<String>, MemberWelcomeEmailRequested> validate() {
        return PayloadChecks.start().text("businessId", businessId).text("businessName", businessName)
                .email("memberEmail", memberEmail).text("memberName", memberName).present("role", role)
                .result(this);
    }
}
