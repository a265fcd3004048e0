package io.hexbus.sample.invoicing.domain;

import io.hexbus.api.event.EventMetadata;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.PayloadChecks;
import io.vavr.control.Either;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The invoice aggregate. A draft can be issued once, and only with a positive total; issuing returns the
 * event to publish or the rule it broke. Not thread-safe: load, change and save it within one use case.
 */
public final class Invoice {

    /** Where an invoice is in its life. */
    public enum Status {
        /** Being prepared; can still be issued. */
        DRAFT,
        /** Final and numbered. */
        ISSUED
    }

    /** A rule that refused to issue an invoice. */
    public enum IssueRefusal {
        /** The invoice was issued before. */
        ALREADY_ISSUED,
        /** The total is zero or negative. */
        TOTAL_NOT_POSITIVE
    }

    private final String id;
    private final String number;
    private final String companyId;
    private final String billingEmail;
    private final String storeId;
    private final Money total;
    private Status status;

    private Invoice(String id, String number, String companyId, String billingEmail, String storeId, Money total,
                    Status status) {
        this.id = Objects.requireNonNull(id, "id");
        this.number = Objects.requireNonNull(number, "number");
        this.companyId = Objects.requireNonNull(companyId, "companyId");
        this.billingEmail = PayloadChecks.start().email("billingEmail", billingEmail).result(billingEmail)
                .toEither().getOrElseThrow(problems -> new IllegalArgumentException(problems.mkString("; ")));
        this.storeId = Objects.requireNonNull(storeId, "storeId");
        this.total = Objects.requireNonNull(total, "total");
        this.status = status;
    }

    /**
     * @param id           the invoice id
     * @param number       its number, as printed
     * @param companyId    the company it will be issued to
     * @param billingEmail the company's billing contact, who is mailed the invoice
     * @param storeId      the store issuing it
     * @param total        the amount due
     * @return a new draft
     * @throws IllegalArgumentException if the billing contact is not an email address
     */
    public static Invoice draft(String id, String number, String companyId, String billingEmail, String storeId,
                                Money total) {
        return new Invoice(id, number, companyId, billingEmail, storeId, total, Status.DRAFT);
    }

    /**
     * Rebuilds an invoice as a repository stored it, in whatever status it had; for the repositories' adapters,
     * never for a use case (which makes drafts and issues them).
     *
     * @param id           the invoice id
     * @param number       its number, as printed
     * @param companyId    the company it is issued to
     * @param billingEmail the company's billing contact
     * @param storeId      the store issuing it
     * @param total        the amount due
     * @param status       where it is in its life
     * @return the invoice
     * @throws IllegalArgumentException if the billing contact is not an email address
     */
    public static Invoice restore(String id, String number, String companyId, String billingEmail, String storeId,
                                  Money total, Status status) {
        return new Invoice(id, number, companyId, billingEmail, storeId, total,
                Objects.requireNonNull(status, "status"));
    }

    /**
     * Issues this draft.
     *
     * @param eventId     the id of the event it raises
     * @param at          when
     * @param performedBy who issues it
     * @return the event to publish, or the rule that refused
     */
    public Either<IssueRefusal, InvoiceIssued> issue(UUID eventId, Instant at, String performedBy) {
        if (status != Status.DRAFT) {
            return Either.left(IssueRefusal.ALREADY_ISSUED);
        }
        if (!total.isPositive()) {
            return Either.left(IssueRefusal.TOTAL_NOT_POSITIVE);
        }
        status = Status.ISSUED;
        EventMetadata metadata = EventMetadata.EMPTY.withTenantId(companyId).withPerformedBy(performedBy);
        return Either.right(new InvoiceIssued(eventId, at, metadata, id, number, companyId, billingEmail,
                storeId, total, performedBy));
    }

    /**
     * The reminder of this invoice, if it awaits payment: an issued invoice does (the sample has no payments of
     * invoices yet); a draft does not.
     *
     * @param eventId the id of the event it raises
     * @param at      the time of the reminder run
     * @return the event to publish, or empty for a draft
     */
    public Optional<InvoiceReminderEmailRequested> remind(UUID eventId, Instant at) {
        if (status != Status.ISSUED) {
            return Optional.empty();
        }
        return Optional.of(new InvoiceReminderEmailRequested(eventId, at, EventMetadata.EMPTY.withTenantId(companyId),
                id, number, companyId, billingEmail, total));
    }

    /** @return the invoice id */
    public String id() {
        return id;
    }

    /** @return its number, as printed */
    public String number() {
        return number;
    }

    /** @return the company it is (or will be) issued to */
    public String companyId() {
        return companyId;
    }

    /** @return the company's billing contact */
    public String billingEmail() {
        return billingEmail;
    }

    /** @return the store issuing it */
    public String storeId() {
        return storeId;
    }

    /** @return the amount due */
    public Money total() {
        return total;
    }

    /** @return where the invoice is in its life */
    public Status status() {
        return status;
    }
}
