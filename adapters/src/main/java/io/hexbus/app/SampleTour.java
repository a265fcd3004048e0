package io.hexbus.app;

import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.membership.domain.Business;
import io.hexbus.sample.membership.domain.Member;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.shared.Money;
import io.vavr.control.Either;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runnable app does: seeds a draft invoice, a business and a pending payment, then runs the invoice
 * flow and every mail use case once, logging each outcome. Ten mails go out: the invoice and nine others.
 * On the queue, they go out when a worker handles the events, not before {@link #run} returns.
 */
final class SampleTour {

    private static final Logger log = LoggerFactory.getLogger(SampleTour.class);

    private SampleTour() {
    }

    /**
     * @return true when every step that should succeed did, and issuing the invoice twice was refused (the use
     *         cases' answers: whether the handlers ran is for the caller to check, once they could have)
     */
    static boolean run(SampleService sample) {
        sample.unitOfWork.run(() -> sample.invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9",
                "billing@company9.example", "store-3", Money.of("120.50", "EUR"))));
        sample.businesses.save(new Business("biz-1", "Acme Bakery",
                new Member("olivia@acme.example", "Olivia", MemberRole.OWNER)));
        sample.payments.save(new Payment("pay-0", "carla@example.com", "Carla", "Monthly plan",
                Money.of("4.90", "EUR")));

        boolean ok = step("issue invoice inv-1", sample.issueInvoice.issue("inv-1", "user-42"));
        ok &= sample.issueInvoice.issue("inv-1", "user-42")
                .peekLeft(refused -> log.info("Issuing inv-1 again is refused by the domain: {}", refused))
                .isLeft();

        String userId = sample.signUp.signUp("ada@example.com", "Ada").map(event -> event.userId()).getOrNull();
        ok &= userId != null && step("request verification", sample.requestVerification.request(userId));
        ok &= step("invite member", sample.inviteMember.invite("biz-1", "ines@example.com", MemberRole.ADMIN,
                "Olivia"));
        ok &= step("join business", sample.joinBusiness.join("biz-1", "ines@example.com", "Ines"));
        ok &= step("change role", sample.changeMemberRole.changeRole("biz-1", "ines@example.com",
                MemberRole.MEMBER, "Olivia"));
        ok &= step("remove member", sample.removeMember.remove("biz-1", "ines@example.com", "Olivia"));

        String paymentId = sample.checkOut.checkOut("carla@example.com", "Carla", "Annual plan",
                Money.of("49.90", "EUR")).map(event -> event.paymentId()).getOrNull();
        ok &= paymentId != null && step("payment succeeded", sample.confirmPayment.paymentSucceeded(paymentId,
                "psp-webhook"));
        ok &= step("cancel payment", sample.cancelPayment.cancel("pay-0", "The card was declined.", "psp-webhook"));
        return ok;
    }

    private static boolean step(String name, Either<?, ?> outcome) {
        outcome.peekLeft(refused -> log.warn("{}: refused: {}", name, refused));
        return outcome.isRight();
    }
}
