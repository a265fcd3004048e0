package io.hexbus.sample.membership.domain;

import java.util.Objects;

/**
 * A member of a business. Immutable.
 *
 * @param email the member's address, which identifies them within the business
 * @param name  how mails address the member
 * @param role  what the member may do
 */
public record Member(String email, String name, MemberRole role) {

    /**
     * Checks that no component is null.
     *
     * @param email the member's address
     * @param name  how mails address the member
     * @param role  what the member may do
     */
    public Member {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
