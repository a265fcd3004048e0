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
 * A payment was canceled before it was paid, and the customer is to be told why.
 *
 * @param eventId       the event id
 * @param occurredAt    when it was canceled
 * @param metadata      correlation and actor (who canceled)
 * @param paymentId     the payment
 * @param customerEmail where the mail goes
 * @param customerName  how the mail addresses the customer
 * @param description   what is paid for
 * @param amount        how much
 * @param reason        why it was canceled, as the mail shows it
 */
@EventName(PaymentCanceledEmailRequested.NAME)
public record PaymentCanceledEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                            String paymentId, String customerEmail, String customerName,
                                            String description, Money amount, String reason)
        implements DomainEvent, ValidatedPayload<PaymentCanceledEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "payments.payment-canceled-email-requested";

    @Override
    public Validation<Seq<String>, PaymentCanceledEmailRequested> validate() {
        return PayloadChecks.start().text("paymentId", paymentId).email("customerEmail", customerEmail)
                .text("customerName", customerName).text("description", description).positive("amount", amount)
                .text("reason", reason).result(this);
    }
}
