package io.hexbus.sample.identity.application;

import io.hexbus.sample.identity.domain.UserAccount;

import java.util.Optional;

/**
 * Where user accounts are kept: a driven port. Implementations are thread-safe.
 */
public interface UserAccounts {

    /**
     * @param userId a user id
     * @return the account, or empty
     */
    Optional<UserAccount> findById(String userId);

    /**
     * @param email an address, compared without regard to case
     * @return the account signed up with it, or empty
     */
    Optional<UserAccount> findByEmail(String email);

    /**
     * @param account the account to store, replacing an earlier version
     */
    void save(UserAccount account);
}
