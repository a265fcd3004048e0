package io.hexbus.sample.payments.application;

import io.hexbus.sample.payments.domain.Payment;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sample's own persistence: payments in a map. Thread-safe as a map; a {@link Payment} itself is changed
 * by one use case at a time in the sample.
 */
public final class InMemoryPayments implements Payments {

    private final Map<String, Payment> payments = new ConcurrentHashMap<>();

    @Override
    public Optional<Payment> findById(String paymentId) {
        return Optional.ofNullable(payments.get(paymentId));
    }

    @Override
    public void save(Payment payment) {
        payments.put(payment.id(), payment);
    }
}
