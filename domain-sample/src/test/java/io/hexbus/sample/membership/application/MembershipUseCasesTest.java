package io.hexbus.sample.membership.application;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.membership.domain.Business;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.Member;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.Refusal;
import io.hexbus.sample.testing.Published;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four membership use cases, each against a mocked EventBus, on one business owned by Olivia. */
@ExtendWith(MockitoExtension.class)
class MembershipUseCasesTest {

    private static final String BIZ = "biz-1";

    @Mock
    private EventBus eventBus;

    private final Businesses businesses = new InMemoryBusinesses();

    @BeforeEach
    void aBusinessWithItsOwnerAndOneMember() {
        Business business = new Business(BIZ, "Acme Bakery",
                new Member("olivia@acme.example", "Olivia", MemberRole.OWNER));
        business.invite("max@acme.example", MemberRole.MEMBER);
        business.join("max@acme.example", "Max");
        businesses.save(business);
    }

    private Business business() {
        return businesses.findById(BIZ).orElseThrow();
    }

    @Nested
    class InviteMember {

        private InviteMemberUseCase useCase() {
            return new InviteMemberUseCase(businesses, eventBus, UnitOfWork.direct(),
                    Links.of("https://app.example.com"), Published.CLOCK);
        }

        @Test
        void publishesTheInvitationWithItsLinkAndExpiry() {
            assertTrue(useCase().invite(BIZ, "ines@example.com", MemberRole.ADMIN, "Olivia").isRight());

            InvitationEmailRequested event = Published.theOnly(eventBus, InvitationEmailRequested.class);
            assertEquals(BIZ, event.businessId());
            assertEquals("Acme Bakery", event.businessName());
            assertEquals("ines@example.com", event.inviteeEmail());
            assertEquals(MemberRole.ADMIN, event.role());
            assertEquals("Olivia", event.invitedBy());
            assertTrue(event.invitationLink().startsWith("https://app.example.com/businesses/biz-1/join?invitation="),
                    event.invitationLink());
            assertEquals(Published.NOW.plus(Duration.ofDays(7)), event.expiresAt());
            assertEquals(BIZ, event.metadata().tenantId());
            assertEquals("Olivia", event.metadata().performedBy());
        }

        @Test
        void refusesInvalidInputAnUnknownBusinessAMemberAndAnOwnerInvitation() {
            assertEquals(new Refusal(Refusal.Kind.INVALID_INPUT,
                            List.of("inviteeEmail is not an email address", "role is missing")),
                    useCase().invite(BIZ, "ines", null, "Olivia").getLeft());
            assertEquals(Refusal.Kind.NOT_FOUND,
                    useCase().invite("biz-9", "ines@example.com", MemberRole.ADMIN, "Olivia").getLeft().kind());
            assertEquals(Refusal.conflict("this address is already a member"),
                    useCase().invite(BIZ, "MAX@acme.example", MemberRole.ADMIN, "Olivia").getLeft());
            assertEquals(Refusal.conflict("nobody can be invited as owner"),
                    useCase().invite(BIZ, "ines@example.com", MemberRole.OWNER, "Olivia").getLeft());
            Published.nothing(eventBus);
        }
    }

    @Nested
    class JoinBusiness {

        private JoinBusinessUseCase useCase() {
            return new JoinBusinessUseCase(businesses, eventBus, UnitOfWork.direct(), Published.CLOCK);
        }

        @Test
        void anInviteeJoinsWithTheInvitedRoleAndIsWelcomed() {
            business().invite("ines@example.com", MemberRole.ADMIN);

            assertTrue(useCase().join(BIZ, "ines@example.com", "Ines").isRight());

            MemberWelcomeEmailRequested event = Published.theOnly(eventBus, MemberWelcomeEmailRequested.class);
            assertEquals("Acme Bakery", event.businessName());
            assertEquals("ines@example.com", event.memberEmail());
            assertEquals("Ines", event.memberName());
            assertEquals(MemberRole.ADMIN, event.role());
            assertEquals(Published.NOW, event.occurredAt());
            assertEquals(MemberRole.ADMIN, business().member("ines@example.com").orElseThrow().role());
        }

        @Test
        void anAddressWithoutInvitationIsRefusedAndNothingIsPublished() {
            assertEquals(Refusal.notFound("this address has no pending invitation"),
                    useCase().join(BIZ, "stranger@example.com", "Stranger").getLeft());
            assertEquals(Refusal.Kind.INVALID_INPUT, useCase().join(BIZ, "ines@example.com", "").getLeft().kind());
            Published.nothing(eventBus);
        }
    }

    @Nested
    class ChangeMemberRole {

        private ChangeMemberRoleUseCase useCase() {
            return new ChangeMemberRoleUseCase(businesses, eventBus, UnitOfWork.direct(), Published.CLOCK);
        }

        @Test
        void publishesThePreviousAndTheNewRole() {
            assertTrue(useCase().changeRole(BIZ, "max@acme.example", MemberRole.ADMIN, "Olivia").isRight());

            RoleChangedEmailRequested event = Published.theOnly(eventBus, RoleChangedEmailRequested.class);
            assertEquals("max@acme.example", event.memberEmail());
            assertEquals("Max", event.memberName());
            assertEquals(MemberRole.MEMBER, event.previousRole());
            assertEquals(MemberRole.ADMIN, event.newRole());
            assertEquals("Olivia", event.changedBy());
            assertEquals("Acme Bakery", event.businessName());
            assertEquals(MemberRole.ADMIN, business().member("max@acme.example").orElseThrow().role());
        }

        @Test
        void refusesAnUnchangedRoleAnUnknownMemberAndOwnershipChanges() {
            assertEquals(Refusal.conflict("the member already has this role"),
                    useCase().changeRole(BIZ, "max@acme.example", MemberRole.MEMBER, "Olivia").getLeft());
            assertEquals(Refusal.notFound("no member has this address"),
                    useCase().changeRole(BIZ, "nobody@acme.example", MemberRole.ADMIN, "Olivia").getLeft());
            assertEquals(Refusal.conflict("ownership is not changed by a role change"),
                    useCase().changeRole(BIZ, "olivia@acme.example", MemberRole.ADMIN, "Olivia").getLeft());
            assertEquals(Refusal.Kind.INVALID_INPUT,
                    useCase().changeRole(BIZ, "max@acme.example", null, "Olivia").getLeft().kind());
            Published.nothing(eventBus);
        }
    }

    @Nested
    class RemoveMember {

        private RemoveMemberUseCase useCase() {
            return new RemoveMemberUseCase(businesses, eventBus, UnitOfWork.direct(), Published.CLOCK);
        }

        @Test
        void publishesTheRemovalAndTheMemberIsGone() {
            assertTrue(useCase().remove(BIZ, "max@acme.example", "Olivia").isRight());

            MemberRemovedEmailRequested event = Published.theOnly(eventBus, MemberRemovedEmailRequested.class);
            assertEquals("max@acme.example", event.memberEmail());
            assertEquals("Max", event.memberName());
            assertEquals("Olivia", event.removedBy());
            assertEquals("Acme Bakery", event.businessName());
            assertTrue(business().member("max@acme.example").isEmpty());
        }

        @Test
        void theOwnerCannotBeRemovedAndNothingIsPublished() {
            assertEquals(Refusal.conflict("the owner cannot be removed"),
                    useCase().remove(BIZ, "olivia@acme.example", "Max").getLeft());
            assertEquals(Refusal.notFound("no member has this address"),
                    useCase().remove(BIZ, "nobody@acme.example", "Olivia").getLeft());
            Published.nothing(eventBus);
            assertTrue(business().member("olivia@acme.example").isPresent());
        }
    }
}
