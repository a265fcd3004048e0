package io.hexbus.sample.membership.domain;

/** What a member may do in a business. */
public enum MemberRole {
    /** Owns the business; cannot be removed. */
    OWNER,
    /** Manages members and settings. */
    ADMIN,
    /** Works in the business. */
    MEMBER
}
