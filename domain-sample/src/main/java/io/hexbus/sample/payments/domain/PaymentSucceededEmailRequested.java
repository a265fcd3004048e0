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
 * A payment succeeded; the mail is the customer's receipt.
 *
 * @param eventId       the event id
 * @param occurredAt    when the payment succeeded
 * @param metadata      correlation and actor (the payment provider)
 * @param paymentId     the payment
 * @param customerEmail where the mail goes
 * @param customerName  how the mail addresses the customer
 * @param description   what is paid for
 * @param amount        how much
 */
@EventName(PaymentSucceededEmailRequested.NAME)
public record PaymentSucceededEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                             String paymentId, String customerEmail, String customerName,
                                             String description, Money amount)
        implements DomainEvent, ValidatedPayload<PaymentSucceededEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "payments.payment-succeeded-email-requested";

    @Override
    public Validation<Seq<String>, PaymentSucceededEmailRequested> validate() {
        return PayloadChecks.start().text("paymentId", paymentId).email("customerEmail", customerEmail)
                .text("customerName", customerName).text("description", description).positive("amount", amount)
                .result(this);
    }
}
