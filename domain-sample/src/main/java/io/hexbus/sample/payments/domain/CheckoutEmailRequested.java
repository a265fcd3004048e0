package io.hexbus.sample.payments.domain;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.ValidatedPayload;
import io.vavr.collection.Seq;
import io.vavr.control.Validation;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer checked out; the mail carries the link to complete the payment.
 *
 * @param eventId       the event id
 * @param occurredAt    when the customer checked out
 * @param metadata      correlation and actor (the customer)
 * @param paymentId     the payment
 * @param customerEmail where the mail goes
 * @param customerName  how the mail addresses the customer
 * @param description   what is paid for
 * @param amount        how much
 * @param checkoutLink  the link that completes the payment
 */
@EventName(CheckoutEmailRequested.NAME)
public record CheckoutEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String paymentId,
                                     String customerEmail, String customerName, String description, Money amount,
                                     String checkoutLink)
        implements DomainEvent, ValidatedPayload<CheckoutEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "payments.checkout-email-requested";

    @Override
    public Validation<Seq<String>, CheckoutEmailRequested> validate() {
        return PayloadChecks.start().text("paymentId", paymentId).email("customerEmail", customerEmail)
                .text("customerName", customerName).text("description", description).positive("amount", amount)
                .link("checkoutLink", checkoutLink).result(this);
    }
}
