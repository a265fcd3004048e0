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
 * Someone was invited to join a business; the mail carries the link that accepts the invitation.
 *
 * @param eventId        the event id
 * @param occurredAt     when the invitation was made
 * @param metadata       correlation, tenant (the business) and actor (who invited)
 * @param businessId     the business
 * @param businessName   its name, as the mail shows it
 * @param inviteeEmail   where the invitation goes
 * @param role           the role offered
 * @param invitedBy      the name of who invited, as the mail shows it
 * @param invitationLink the link that accepts the invitation
 * @param expiresAt      when the link stops working
 */
@EventName(InvitationEmailRequested.NAME)
public record InvitationEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String businessId,
                                       String businessName, String inviteeEmail, MemberRole role, String invitedBy,
                                       String invitationLink, Instant expiresAt)
        implements DomainEvent, ValidatedPayload<InvitationEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "membership.invitation-email-requested";

    @Override
    public Validation<Seq<String>, InvitationEmailRequested> validate() {
        return PayloadChecks.start().text("businessId", businessId).text("businessName", businessName)
                .email("inviteeEmail", inviteeEmail).present("role", role).text("invitedBy", invitedBy)
                .link("invitationLink", invitationLink).present("expiresAt", expiresAt)
                .result(this);
    }
}
