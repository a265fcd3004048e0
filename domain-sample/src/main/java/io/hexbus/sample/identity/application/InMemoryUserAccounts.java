package io.hexbus.sample.identity.application;

import io.hexbus.sample.identity.domain.UserAccount;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sample's own persistence: accounts in a map. Thread-safe.
 */
public final class InMemoryUserAccounts implements UserAccounts {

    private final Map<String, UserAccount> accounts = new ConcurrentHashMap<>();

    @Override
    public Optional<UserAccount> findById(String userId) {
        return Optional.ofNullable(accounts.get(userId));
    }

    @Override
    public Optional<UserAccount> findByEmail(String email) {
        String wanted = email.toLowerCase(Locale.ROOT);
        return accounts.values().stream().filter(a -> a.email().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    @Override
    public void save(UserAccount account) {
        accounts.put(account.id(), account);
    }
}
