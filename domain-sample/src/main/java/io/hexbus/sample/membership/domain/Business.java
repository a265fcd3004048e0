package io.hexbus.sample.membership.domain;

import io.hexbus.sample.shared.Refusal;
import io.vavr.control.Either;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The business aggregate: its members by address and its pending invitations. The rules: an address is
 * invited once and only if it is not a member; only an invited address can join, with the invited role; a
 * role change must change the role, and nobody becomes or stops being the owner that way; the owner cannot
 * be removed. Addresses compare without regard to case.
 *
 * <p>Not thread-safe: load, change and save it within one use case.
 */
public final class Business {

    private final String id;
    private final String name;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, MemberRole> invitations = new LinkedHashMap<>();

    /**
     * A business with its owner as its only member.
     *
     * @param id    the business id
     * @param name  its name, as mails show it
     * @param owner the owner
     */
    public Business(String id, String name, Member owner) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        if (owner.role() != MemberRole.OWNER) {
            throw new IllegalArgumentException("a business starts with its owner, not a " + owner.role());
        }
        members.put(key(owner.email()), owner);
    }

    /** @return the business id */
    public String id() {
        return id;
    }

    /** @return its name */
    public String name() {
        return name;
    }

    /**
     * @param email an address
     * @return the member with that address, or empty
     */
    public Optional<Member> member(String email) {
        return Optional.ofNullable(members.get(key(email)));
    }

    /**
     * Invites an address to join with a role.
     *
     * @param email the invitee's address
     * @param role  the role offered; not {@link MemberRole#OWNER}
     * @return the role offered, or why the invitation is refused
     */
    public Either<Refusal, MemberRole> invite(String email, MemberRole role) {
        if (role == MemberRole.OWNER) {
            return Either.left(Refusal.conflict("nobody can be invited as owner"));
        }
        if (members.containsKey(key(email))) {
            return Either.left(Refusal.conflict("this address is already a member"));
        }
        invitations.put(key(email), role);
        return Either.right(role);
    }

    /**
     * An invited address joins, with the role it was invited with.
     *
     * @param email the invitee's address
     * @param memberName how mails will address the new member
     * @return the new member, or why joining is refused
     */
    public Either<Refusal, Member> join(String email, String memberName) {
        MemberRole role = invitations.remove(key(email));
        if (role == null) {
            return Either.left(Refusal.notFound("this address has no pending invitation"));
        }
        Member member = new Member(email, memberName, role);
        members.put(key(email), member);
        return Either.right(member);
    }

    /**
     * Changes a member's role.
     *
     * @param email   the member's address
     * @param newRole the new role; not {@link MemberRole#OWNER}
     * @return the member as they were before, or why the change is refused
     */
    public Either<Refusal, Member> changeRole(String email, MemberRole newRole) {
        Member member = members.get(key(email));
        if (member == null) {
            return Either.left(Refusal.notFound("no member has this address"));
        }
        if (member.role() == MemberRole.OWNER || newRole == MemberRole.OWNER) {
            return Either.left(Refusal.conflict("ownership is not changed by a role change"));
        }
        if (member.role() == newRole) {
            return Either.left(Refusal.conflict("the member already has this role"));
        }
        members.put(key(email), new Member(member.email(), member.name(), newRole));
        return Either.right(member);
    }

    /**
     * Removes a member.
     *
     * @param email the member's address
     * @return the removed member, or why the removal is refused
     */
    public Either<Refusal, Member> remove(String email) {
        Member member = members.get(key(email));
        if (member == null) {
            return Either.left(Refusal.notFound("no member has this address"));
        }
        if (member.role() == MemberRole.OWNER) {
            return Either.left(Refusal.conflict("the owner cannot be removed"));
        }
        members.remove(key(email));
        return Either.right(member);
    }

    private static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
