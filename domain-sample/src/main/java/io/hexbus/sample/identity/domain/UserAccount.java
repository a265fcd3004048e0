package io.hexbus.sample.identity.domain;

import java.util.Objects;

/**
 * A user's account. Immutable: changes return a copy.
 *
 * @param id          the user id
 * @param email       the address the user signed up with
 * @param displayName how mails address the user
 * @param verified    whether the address was confirmed
 */
public record UserAccount(String id, String email, String displayName, boolean verified) {

    /**
     * Checks that no component is null.
     *
     * @param id          the user id
     * @param email       the address the user signed up with
     * @param displayName how mails address the user
     * @param verified    whether the address was confirmed
     */
    public UserAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(displayName, "displayName");
    }
}
