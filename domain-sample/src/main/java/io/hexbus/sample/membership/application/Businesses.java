package io.hexbus.sample.membership.application;

import io.hexbus.sample.membership.domain.Business;
import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;

import java.util.Optional;

/**
 * Where businesses are kept: a driven port. Implementations are thread-safe.
 */
public interface Businesses {

    /**
     * @param businessId a business id
     * @return the business, or empty
     */
    Optional<Business> findById(String businessId);

    /**
     * @param business the business to store, replacing an earlier version
     */
    void save(Business business);

    /**
     * @param businessId a business id
     * @return the business, or a {@link Refusal.Kind#NOT_FOUND} refusal
     */
    default Either<Refusal, Business> require(String businessId) {
        return findById(businessId).<Either<Refusal, Business>>map(Either::right)
                .orElseGet(() -> Either.left(Refusal.notFound("no business has this id")));
    }
}
