package io.hexbus.sample.payments.application;

import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;

import java.util.Optional;

/**
 * Where payments are kept: a driven port. Implementations are thread-safe.
 */
public interface Payments {

    /**
     * @param paymentId a payment id
     * @return the payment, or empty
     */
    Optional<Payment> findById(String paymentId);

    /**
     * @param payment the payment to store, replacing an earlier version
     */
    void save(Payment payment);

    /**
     * @param paymentId a payment id, possibly null
     * @return the payment, or a {@link Refusal.Kind#NOT_FOUND} refusal
     */
    default Either<Refusal, Payment> require(String paymentId) {
        return Optional.ofNullable(paymentId).flatMap(this::findById).<Either<Refusal, Payment>>map(Either::right)
                .orElseGet(() -> Either.left(Refusal.notFound("no payment has this id")));
    }
}
