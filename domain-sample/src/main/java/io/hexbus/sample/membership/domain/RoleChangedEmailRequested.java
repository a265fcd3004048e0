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
 * A member's role in a business changed, and the member is to be told by mail.
 *
 * @param eventId      the event id
 * @param occurredAt   when the role changed
 * @param metadata     correlation, tenant (the business) and actor (who changed it)
 * @param businessId   the business
 * @param businessName its name, as the mail shows it
 * @param memberEmail  where the mail goes
 * @param memberName   how the mail addresses the member
 * @param previousRole the role before
 * @param newRole      the role now
 * @param changedBy    the name of who changed it, as the mail shows it
 */
@EventName(RoleChangedEmailRequested.NAME)
public record RoleChangedEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                        String businessId, String businessName, String memberEmail,
                                        String memberName, MemberRole previousRole, MemberRole newRole,
                                        String changedBy)
        implements DomainEvent, ValidatedPayload<RoleChangedEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "membership.role-changed-email-requested";

    @Override
    public Validation<Seq<String>, RoleChangedEmailRequested> validate() {
        return PayloadChecks.start().text("businessId", businessId).text("businessName", businessName)
                .email("memberEmail", memberEmail).text("memberName", memberName)
                .present("previousRole", previousRole).present("newRole", newRole).text("changedBy", changedBy)
                .require(previousRole == null || previousRole != newRole, "newRole is the same as previousRole")
                .result(this);
    }
}
