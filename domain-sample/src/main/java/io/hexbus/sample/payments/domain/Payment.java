package io.hexbus.sample.payments.domain;

import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;

import java.util.Objects;

/**
 * The payment aggregate. A payment starts pending at checkout and ends once: succeeded or canceled.
 *
 * <p>Not thread-safe: load, change and save it within one use case.
 */
public final class Payment {

    /** Where a payment is in its life. */
    public enum Status {
        /** Checked out, waiting for the payment provider. */
        PENDING,
        /** Paid. */
        SUCCEEDED,
        /** Canceled before it was paid. */
        CANCELED
    }

    private final String id;
    private final String customerEmail;
    private final String customerName;
    private final String description;
    private final Money amount;
    private Status status = Status.PENDING;

    /**
     * A pending payment.
     *
     * @param id            the payment id
     * @param customerEmail who pays, where the mails go
     * @param customerName  how mails address the customer
     * @param description   what is paid for
     * @param amount        how much
     */
    public Payment(String id, String customerEmail, String customerName, String description, Money amount) {
        this.id = Objects.requireNonNull(id, "id");
        this.customerEmail = Objects.requireNonNull(customerEmail, "customerEmail");
        this.customerName = Objects.requireNonNull(customerName, "customerName");
        this.description = Objects.requireNonNull(description, "description");
        this.amount = Objects.requireNonNull(amount, "amount");
    }

    /**
     * Marks the payment paid.
     *
     * @return this payment, or why it cannot succeed (it already ended)
     */
    public Either<Refusal, Payment> succeed() {
        return end(Status.SUCCEEDED);
    }

    /**
     * Cancels the payment.
     *
     * @return this payment, or why it cannot be canceled (it already ended)
     */
    public Either<Refusal, Payment> cancel() {
        return end(Status.CANCELED);
    }

    private Either<Refusal, Payment> end(Status outcome) {
        if (status != Status.PENDING) {
            return Either.left(Refusal.conflict(status == Status.SUCCEEDED ? "the payment has already succeeded"
                    : "the payment has already been canceled"));
        }
        status = outcome;
        return Either.right(this);
    }

    /** @return the payment id */
    public String id() {
        return id;
    }

    /** @return who pays */
    public String customerEmail() {
        return customerEmail;
    }

    /** @return how mails address the customer */
    public String customerName() {
        return customerName;
    }

    /** @return what is paid for */
    public String description() {
        return description;
    }

    /** @return how much */
    public Money amount() {
        return amount;
    }

    /** @return where the payment is in its life */
    public Status status() {
        return status;
    }
}
