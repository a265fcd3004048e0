package io.hexbus.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.outbox.testing.TestPostgres;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.mail.MailDeliveryException;
import io.hexbus.sample.membership.domain.Business;
import io.hexbus.sample.membership.domain.Member;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.notifications.SendInvoiceEmail;
import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.shared.Money;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every use case of the sample, wired by Guice, through the real handlers and the SMTP mailer, into GreenMail, once
 * per transport. The in-memory bus is synchronous, so each mail is in GreenMail's store as soon as {@code publish}
 * returned: the test looks right away, without waiting. On the Redis, Kafka and RabbitMQ queues the test waits for the
 * worker; with {@code DATABASE_URL} (the transactional outbox, on each transport) for the relay and the worker.
 */
class SampleMailFlowsEndToEndTest {

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private SampleService sample;

    private final List<WiredApp> apps = new ArrayList<>();

    private SampleService wiredTo(String host, int port) {
        WiredApp app = WiredApp.inMemory(Map.of("SMTP_HOST", host, "SMTP_PORT", Integer.toString(port),
                "MAIL_FROM", "hexbus sample <no-reply@hexbus.example>"));
        apps.add(app);
        return seeded(app.sample());
    }

    private static SampleService seeded(SampleService service) {
        service.unitOfWork.run(() -> service.invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9",
                "billing@company9.example", "store-3", Money.of("120.50", "EUR"))));
        service.businesses.save(new Business("biz-1", "Acme Bakery",
                new Member("olivia@acme.example", "Olivia", MemberRole.OWNER)));
        service.payments.save(new Payment("pay-0", "dan@example.com", "Dan", "Monthly plan", Money.of("4.90", "EUR")));
        return service;
    }

    @BeforeEach
    void wireTheSampleToGreenMail() {
        sample = wiredTo(greenMail.getSmtp().getBindTo(), greenMail.getSmtp().getPort());
    }

    @AfterEach
    void closeApps() {
        apps.forEach(WiredApp::close);
    }

    /** Asserts that exactly one more mail is in GreenMail, to that recipient with that subject. */
    private void assertArrivedJustNow(List<String> seen, String recipient, String subject) throws MessagingException {
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(seen.size() + 1, received.length, () -> "mails so far: " + seen);
        MimeMessage last = received[received.length - 1];
        assertEquals(recipient, last.getAllRecipients()[0].toString());
        assertEquals(subject, last.getSubject());
        seen.add(recipient + " | " + subject);
    }

    /** What one use case of the tour must have mailed. */
    @FunctionalInterface
    interface ExpectMail {
        void mailed(String recipient, String subject) throws MessagingException;
    }

    /** Runs every use case of the sample once, telling {@code expect} the mail each one must send. */
    static void runEveryUseCase(SampleService sample, ExpectMail expect) throws MessagingException {
        assertTrue(sample.issueInvoice.issue("inv-1", "user-42").isRight());
        expect.mailed("billing@company9.example", "Invoice 2026-0001: 120.50 EUR due");

        String userId = sample.signUp.signUp("ada@example.com", "Ada").get().userId();
        expect.mailed("ada@example.com", "Welcome, Ada");
        assertTrue(sample.requestVerification.request(userId).isRight());
        expect.mailed("ada@example.com", "Confirm your email address");

        assertTrue(sample.inviteMember.invite("biz-1", "ines@example.com", MemberRole.ADMIN, "Olivia").isRight());
        expect.mailed("ines@example.com", "Olivia invited you to join Acme Bakery");
        assertTrue(sample.joinBusiness.join("biz-1", "ines@example.com", "Ines").isRight());
        expect.mailed("ines@example.com", "Welcome to Acme Bakery");
        assertTrue(sample.changeMemberRole.changeRole("biz-1", "ines@example.com", MemberRole.MEMBER, "Olivia")
                .isRight());
        expect.mailed("ines@example.com", "Your role in Acme Bakery is now member");
        assertTrue(sample.removeMember.remove("biz-1", "ines@example.com", "Olivia").isRight());
        expect.mailed("ines@example.com", "You were removed from Acme Bakery");

        String paid = sample.checkOut.checkOut("carla@example.com", "Carla", "Annual plan", Money.of("49.90", "EUR"))
                .get().paymentId();
        expect.mailed("carla@example.com", "Complete your payment of 49.90 EUR");
        assertTrue(sample.confirmPayment.paymentSucceeded(paid, "psp-webhook").isRight());
        expect.mailed("carla@example.com", "Payment received: 49.90 EUR");
        assertTrue(sample.cancelPayment.cancel("pay-0", "The card was declined.", "psp-webhook").isRight());
        expect.mailed("dan@example.com", "Payment canceled: Monthly plan");
    }

    @Test
    void everyUseCaseSendsItsMailBeforePublishReturns() throws Exception {
        List<String> seen = new ArrayList<>();

        runEveryUseCase(sample, (recipient, subject) -> assertArrivedJustNow(seen, recipient, subject));

        assertEquals(1, sample.auditLog.entries().size());
        assertEquals(10, seen.size(), () -> "the invoice mail and the nine others: " + seen);
    }

    @ParameterizedTest
    @EnumSource(value = QueueChoice.class, names = {"REDIS", "KAFKA", "RABBITMQ"})
    void onTheQueueEveryMailArrivesOnceTheWorkerHandledTheEvents(QueueChoice queue) throws Exception {
        WiredApp queued = WiredApp.queued(queue, Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "MAIL_FROM", "hexbus sample <no-reply@hexbus.example>"));
        apps.add(queued);
        SampleService onQueue = seeded(queued.sample());
        List<String> expected = new ArrayList<>();

        runEveryUseCase(onQueue, (recipient, subject) -> expected.add(recipient + " | " + subject));

        assertTrue(greenMail.waitForIncomingEmail(30_000, 10), "ten mails within 30 s");
        List<String> arrived = new ArrayList<>();
        for (MimeMessage mail : greenMail.getReceivedMessages()) {
            arrived.add(mail.getAllRecipients()[0] + " | " + mail.getSubject());
        }
        arrived.sort(null); // the worker's slots may send them in any order
        expected.sort(null);
        assertEquals(expected, arrived);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"in-memory", "REDIS", "KAFKA", "RABBITMQ"})
    void onTheOutboxEveryMailArrivesOnceTheRelayForwardedTheEvents(String transport) throws Exception {
        Map<String, String> environment = Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "MAIL_FROM", "hexbus sample <no-reply@hexbus.example>");
        try (TestPostgres postgres = TestPostgres.create()) {
            Map<String, String> env = new HashMap<>(environment);
            env.put("DATABASE_URL", postgres.jdbcUrl());
            try (WiredApp onTheOutbox = transport.equals("in-memory") ? WiredApp.inMemory(env)
                    : WiredApp.queued(QueueChoice.valueOf(transport), env)) {
                SampleService sample = seeded(onTheOutbox.sample());
                List<String> expected = new ArrayList<>();

                runEveryUseCase(sample, (recipient, subject) -> expected.add(recipient + " | " + subject));

                assertTrue(greenMail.waitForIncomingEmail(30_000, 10), "ten mails within 30 s");
                List<String> arrived = new ArrayList<>();
                for (MimeMessage mail : greenMail.getReceivedMessages()) {
                    arrived.add(mail.getAllRecipients()[0] + " | " + mail.getSubject());
                }
                arrived.sort(null); // the relay forwards in commit order, the worker's slots send in any
                expected.sort(null);
                assertEquals(expected, arrived);
                assertEquals(1, sample.auditLog.entries().size());
            }
        }
    }

    @Test
    void aRefusedUseCaseSendsNoMail() {
        assertTrue(sample.removeMember.remove("biz-1", "olivia@acme.example", "Olivia").isLeft());
        assertTrue(sample.signUp.signUp("not-an-address", "Ada").isLeft());

        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void whenTheMailServerIsDownTheAuditStillRecordsTheInvoiceAndOnlyTheMailFails() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SampleService offline = wiredTo("127.0.0.1", closedPort);

        EventHandlingException thrown = assertThrows(EventHandlingException.class,
                () -> offline.issueInvoice.issue("inv-1", "user-42"));

        SubscriptionFailure failure = thrown.failures().get(0);
        assertEquals(1, thrown.failures().size());
        assertEquals(SendInvoiceEmail.SUBSCRIPTION, failure.subscription());
        assertInstanceOf(MailDeliveryException.class, failure.error());
        assertFalse(NonRetryable.isNonRetryable(failure.error()), "a queued transport would retry it");
        assertEquals(1, offline.auditLog.entries().size());
    }
}
