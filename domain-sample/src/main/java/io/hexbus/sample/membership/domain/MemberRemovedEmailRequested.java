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
 * A member was removed from a business, and is to be told by mail.
 *
 * @param eventId      the event id
 * @param occurredAt   when they were removed
 * @param metadata     correlation, tenant (the business) and actor (who removed them)
 * @param businessId   the business
 * @param businessName its name, as the mail shows it
 * @param memberEmail  where the mail goes
 * @param memberName   how the mail addresses the former member
 * @param removedBy    the name of who removed them, as the mail shows it
 */
@EventName(MemberRemovedEmailRequested.NAME)
public record MemberRemovedEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                          String businessId, String businessName, String memberEmail,
                                          String memberName, String removedBy)
        implements DomainEvent, ValidatedPayload<MemberRemovedEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "membership.member-removed-email-requested";

    @Override
    public Validation<Seq<String>, MemberRemovedEmailRequested> validate() {
        return PayloadChecks.start().text("businessId", businessId).text("businessName", businessName)
                .email("memberEmail", memberEmail).text("memberName", memberName).text("removedBy", removedBy)
                .result(this);
    }
}
