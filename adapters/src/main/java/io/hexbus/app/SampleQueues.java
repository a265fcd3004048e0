package io.hexbus.app;

import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample's named queues on Redis, when {@code HEXBUS_QUEUE_ROUTES} is unset: every mail request goes to the
 * {@value #MAIL} queue, so that a backlog of other work never holds up a mail; every other event to the default queue.
 */
final class SampleQueues {

    /** The queue of the sample's mail requests. */
    static final String MAIL = "mail";

    private static final List<String> MAIL_REQUESTS = List.of(WelcomeEmailRequested.NAME,
            VerificationEmailRequested.NAME, InvitationEmailRequested.NAME, MemberRemovedEmailRequested.NAME,
            MemberWelcomeEmailRequested.NAME, RoleChangedEmailRequested.NAME, CheckoutEmailRequested.NAME,
            PaymentCanceledEmailRequested.NAME, PaymentSucceededEmailRequested.NAME);

    private SampleQueues() {
    }

    /** @return each mail request's event name routed to {@value #MAIL} */
    static Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        MAIL_REQUESTS.forEach(name -> routes.put(name, MAIL));
        return routes;
    }
}
