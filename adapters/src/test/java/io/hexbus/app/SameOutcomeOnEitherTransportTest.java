package io.hexbus.app;

import com.google.inject.Key;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hexbus.adapters.guice.RedisTransportSettings;
import io.hexbus.adapters.persistence.JdbcInvoiceRepository;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.kafka.KafkaEventBus;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.UnitOfWorkFailedException;
import io.hexbus.outbox.testing.TestPostgres;
import io.hexbus.rabbitmq.RabbitEventBus;
import io.hexbus.redis.RedisEventBus;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.notifications.SendInvoiceEmail;
import io.hexbus.sample.shared.Money;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same use cases, wired by the composition root with {@code USE_QUEUE_EVENT_BUS} false and true (on Redis, on
 * Kafka and on RabbitMQ), and with {@code DATABASE_URL} on each (the transactional outbox), reach the same outcome:
 * the audit entry and the mails. In memory the handlers ran before {@code publish} returned; on a queue, a worker
 * runs them soon after, and on the outbox once its relay forwarded the event, so the test waits for them (never
 * longer than it must).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SameOutcomeOnEitherTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    abstract class OnATransport {

        WiredApp app;

        abstract WiredApp wire(Map<String, String> environment);

        @BeforeEach
        void wire() {
            app = wire(Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                    "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                    "MAIL_FROM", "no-reply@hexbus.example"));
        }

        @AfterEach
        void close() {
            app.close();
        }

        @Test
        void issuingAnInvoiceAuditsItAndMailsItOnce() throws MessagingException {
            SampleService sample = app.sample();
            sample.unitOfWork.run(() -> sample.invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9",
                    "billing@company9.example", "store-3", Money.of("120.50", "EUR"))));

            assertTrue(sample.issueInvoice.issue("inv-1", "user-42").isRight());
            assertTrue(sample.issueInvoice.issue("inv-1", "user-42").isLeft(), "issued once only");

            await().atMost(WAIT).until(() -> sample.auditLog.entries().size() == 1
                    && greenMail.getReceivedMessages().length == 1);
            assertTrue(sample.auditLog.entries().get(0).startsWith("invoice 2026-0001 issued to company company-9"));
            MimeMessage mail = greenMail.getReceivedMessages()[0];
            assertEquals("billing@company9.example", mail.getAllRecipients()[0].toString());
            assertEquals("Invoice 2026-0001: 120.50 EUR due", mail.getSubject());
        }

        @Test
        void signingUpAndAskingForVerificationSendsBothMails() throws MessagingException {
            SampleService sample = app.sample();

            String userId = sample.signUp.signUp("ada@example.com", "Ada").get().userId();
            assertTrue(sample.requestVerification.request(userId).isRight());

            await().atMost(WAIT).until(() -> greenMail.getReceivedMessages().length == 2);
            List<String> subjects = new ArrayList<>();
            for (MimeMessage mail : greenMail.getReceivedMessages()) {
                subjects.add(mail.getSubject());
            }
            subjects.sort(null); // on the queue, the worker's slots may send them in either order
            assertEquals(List.of("Confirm your email address", "Welcome, Ada"), subjects);
        }
    }

    @Nested
    class InMemory extends OnATransport {

        @Override
        WiredApp wire(Map<String, String> environment) {
            return WiredApp.inMemory(environment);
        }

        @Test
        void bindsTheInMemoryBusAndNoQueueAdmin() {
            assertInstanceOf(InMemoryEventBus.class, app.injector.getInstance(EventBus.class));
            assertNull(app.injector.getExistingBinding(Key.get(QueueAdmin.class)));
        }

        @Test
        void theHandlersRunBeforePublishReturns() {
            SampleService sample = app.sample();
            sample.invoices.save(Invoice.draft("inv-2", "2026-0002", "company-9", "billing@company9.example",
                    "store-3", Money.of("10.00", "EUR")));

            sample.issueInvoice.issue("inv-2", "user-42");

            assertEquals(1, sample.auditLog.entries().size());
            assertEquals(1, greenMail.getReceivedMessages().length);
        }
    }

    /** What holds on every queue: the retry variables, and per-subscription dead letters. */
    abstract class OnAQueue extends OnATransport {

        @Test
        void theRetryVariablesSetTheSampleSubscriptionsPolicyAndAFailingMailDeadLettersAloneAfterIt()
                throws IOException {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            try (WiredApp offline = wire(Map.of("SMTP_HOST", "127.0.0.1",
                    "SMTP_PORT", Integer.toString(closedPort), "MAIL_FROM", "no-reply@hexbus.example",
                    "HEXBUS_RETRY_MAX", "1", "HEXBUS_RETRY_BACKOFF_MS", "50"))) {
                SampleService sample = offline.sample();
                sample.invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9", "billing@company9.example",
                        "store-3", Money.of("120.50", "EUR")));
                UUID eventId = sample.issueInvoice.issue("inv-1", "user-42").get().eventId();
                QueueAdmin admin = offline.injector.getInstance(QueueAdmin.class);

                DeadLetter dead = await().atMost(WAIT).until(() -> admin.deadLetter(eventId), Optional::isPresent)
                        .orElseThrow();

                assertEquals(List.of(SendInvoiceEmail.SUBSCRIPTION), dead.failedSubscriptions());
                assertEquals(2, dead.attempts(), "the first attempt and HEXBUS_RETRY_MAX=1 retry");
                assertEquals(1, sample.auditLog.entries().size(), "the audit succeeded on its own");
            }
        }
    }

    @Nested
    class Queue extends OnAQueue {

        @Override
        WiredApp wire(Map<String, String> environment) {
            return WiredApp.queued(environment);
        }

        @Test
        void bindsTheRedisBusAndTheQueueAdminOfTheConfiguredGroup() {
            assertInstanceOf(RedisEventBus.class, app.injector.getInstance(EventBus.class));
            assertEquals(RedisTransportSettings.DEFAULT_GROUP,
                    app.injector.getInstance(QueueAdmin.class).stats().group());
        }
    }

    @Nested
    class OnKafka extends OnAQueue {

        @Override
        WiredApp wire(Map<String, String> environment) {
            return WiredApp.queued(QueueChoice.KAFKA, environment);
        }

        @Test
        void bindsTheKafkaBusAndTheQueueAdminOfTheConfiguredGroup() {
            assertInstanceOf(KafkaEventBus.class, app.injector.getInstance(EventBus.class));
            assertEquals("kafka", app.injector.getInstance(QueuedTransport.class).name());
            assertEquals(RedisTransportSettings.DEFAULT_GROUP,
                    app.injector.getInstance(QueueAdmin.class).stats().group());
        }
    }

    @Nested
    class OnRabbit extends OnAQueue {

        @Override
        WiredApp wire(Map<String, String> environment) {
            return WiredApp.queued(QueueChoice.RABBITMQ, environment);
        }

        @Test
        void bindsTheRabbitBusAndTheQueueAdminOfTheConfiguredGroup() {
            assertInstanceOf(RabbitEventBus.class, app.injector.getInstance(EventBus.class));
            assertEquals("rabbitmq", app.injector.getInstance(QueuedTransport.class).name());
            assertEquals(RedisTransportSettings.DEFAULT_GROUP,
                    app.injector.getInstance(QueueAdmin.class).stats().group());
        }
    }

    /**
     * With {@code DATABASE_URL}: the invoices are PostgreSQL's, use cases publish to the outbox in their transaction,
     * and its relay forwards to the transport. A database per test: a relay forwards whatever its table holds, so
     * one test's leftovers would reach the next test's transport.
     */
    abstract class OnTheOutbox extends OnATransport {

        TestPostgres postgres;

        /**
         * @param environment the variables, {@code DATABASE_URL} among them
         * @return the app on this transport
         */
        abstract WiredApp wireWithDatabase(Map<String, String> environment);

        @Override
        WiredApp wire(Map<String, String> environment) {
            if (postgres == null) {
                postgres = TestPostgres.create();
            }
            Map<String, String> env = new HashMap<>(environment);
            env.put("DATABASE_URL", postgres.jdbcUrl());
            env.put("HEXBUS_DATABASE_POOL_SIZE", "4");
            return wireWithDatabase(env);
        }

        @AfterEach
        @Override
        void close() {
            try {
                await().atMost(WAIT).until(() -> app.outbox.orElseThrow().health().waiting() == 0);
                app.close();
            } finally {
                postgres.close();
            }
        }

        @Test
        void bindsTheOutboxBusForUseCasesAndThePostgresInvoices() {
            assertInstanceOf(OutboxEventBus.class, app.injector.getInstance(EventBus.class));
            assertInstanceOf(JdbcInvoiceRepository.class, app.sample().invoices);
            assertInstanceOf(JdbcUnitOfWork.class, app.sample().unitOfWork);
        }

        @Test
        void issuingWritesTheInvoiceAndItsEventInOneTransactionAndTheRelayForwardsIt() throws SQLException {
            SampleService sample = app.sample();
            sample.unitOfWork.run(() -> sample.invoices.save(Invoice.draft("inv-7", "2026-0007", "company-9",
                    "billing@company9.example", "store-3", Money.of("9.99", "EUR"))));

            UUID eventId = sample.issueInvoice.issue("inv-7", "user-42").get().eventId();

            assertEquals("ISSUED", queryOne("SELECT status FROM sample_invoice WHERE id = 'inv-7'"));
            assertEquals("invoicing.invoice-issued", queryOne("SELECT event_name FROM hexbus_outbox WHERE event_id = '"
                    + eventId + "'"));
            await().atMost(WAIT).until(() -> greenMail.getReceivedMessages().length == 1);
            assertTrue(sample.auditLog.entries().get(0).contains("(event " + eventId + ")"));
            await().atMost(WAIT).until(() -> queryOne("SELECT sent_at IS NOT NULL FROM hexbus_outbox"
                    + " WHERE event_id = '" + eventId + "'").equals("t"));
        }

        @Test
        void anInvoiceWhoseSaveFailsAtCommitAfterItsEventWasPublishedDeliversNothing()
                throws SQLException, MessagingException {
            SampleService sample = app.sample();
            sample.unitOfWork.run(() -> {
                sample.invoices.save(Invoice.draft("inv-refused", "2026-0013", "company-9",
                        "billing@company9.example", "store-3", Money.of("13.00", "EUR")));
                sample.invoices.save(Invoice.draft("inv-2", "2026-0002", "company-9", "billing@company9.example",
                        "store-3", Money.of("20.00", "EUR")));
            });
            // The store accepts the issued invoice's row, then refuses it at commit: after the use case published.
            execute("CREATE FUNCTION refuse_issuing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'the invoice store refuses % at commit', NEW.id; END $$");
            execute("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER UPDATE ON sample_invoice"
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id = 'inv-refused')"
                    + " EXECUTE FUNCTION refuse_issuing()");

            UnitOfWorkFailedException failed = assertThrows(UnitOfWorkFailedException.class,
                    () -> sample.issueInvoice.issue("inv-refused", "user-42"));
            assertTrue(failed.getMessage().contains("refuses inv-refused at commit"), failed.getMessage());
            // A later invoice goes through: once its mail is in, the relay has forwarded all there was.
            assertTrue(sample.issueInvoice.issue("inv-2", "user-42").isRight());
            await().atMost(WAIT).until(() -> greenMail.getReceivedMessages().length >= 1
                    && app.outbox.orElseThrow().health().waiting() == 0);

            assertEquals(1, greenMail.getReceivedMessages().length);
            assertEquals("Invoice 2026-0002: 20.00 EUR due", greenMail.getReceivedMessages()[0].getSubject());
            assertEquals(1, sample.auditLog.entries().size());
            assertEquals("1", queryOne("SELECT count(*) FROM hexbus_outbox"), "the refused invoice's event is gone");
            assertEquals("DRAFT", queryOne("SELECT status FROM sample_invoice WHERE id = 'inv-refused'"));
        }

        private String queryOne(String sql) throws SQLException {
            try (Connection connection = postgres.dataSource().getConnection();
                 Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                assertTrue(row.next(), () -> "no row: " + sql);
                return row.getString(1);
            }
        }

        private void execute(String sql) throws SQLException {
            try (Connection connection = postgres.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    @Nested
    class InMemoryOnTheOutbox extends OnTheOutbox {

        @Override
        WiredApp wireWithDatabase(Map<String, String> environment) {
            return WiredApp.inMemory(environment);
        }
    }

    @Nested
    class RedisOnTheOutbox extends OnTheOutbox {

        @Override
        WiredApp wireWithDatabase(Map<String, String> environment) {
            return WiredApp.queued(environment);
        }
    }

    @Nested
    class KafkaOnTheOutbox extends OnTheOutbox {

        @Override
        WiredApp wireWithDatabase(Map<String, String> environment) {
            return WiredApp.queued(QueueChoice.KAFKA, environment);
        }
    }

    @Nested
    class RabbitOnTheOutbox extends OnTheOutbox {

        @Override
        WiredApp wireWithDatabase(Map<String, String> environment) {
            return WiredApp.queued(QueueChoice.RABBITMQ, environment);
        }
    }
}
