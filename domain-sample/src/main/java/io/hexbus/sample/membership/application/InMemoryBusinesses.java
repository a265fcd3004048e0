package io.hexbus.sample.membership.application;

import io.hexbus.sample.membership.domain.Business;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sample's own persistence: businesses in a map. Thread-safe as a map; a {@link Business} itself is
 * changed by one use case at a time in the sample.
 */
public final class InMemoryBusinesses implements Businesses {

    private final Map<String, Business> businesses = new ConcurrentHashMap<>();

    @Override
    public Optional<Business> findById(String businessId) {
        return Optional.ofNullable(businesses.get(businessId));
    }

    @Override
    public void save(Business business) {
        businesses.put(business.id(), business);
    }
}
