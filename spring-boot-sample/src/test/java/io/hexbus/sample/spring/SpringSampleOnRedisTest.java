package io.hexbus.sample.spring;

import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.TestRedis;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.mail.Mail;
import io.hexbus.spring.boot.HexbusWorkers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on Redis, as {@code USE_QUEUE_EVENT_BUS=true} runs it: the use case returns once Redis has the event,
 * and the context's worker sends the mail. On the shared test Redis, with keys and a group of its own.
 */
@SpringBootTest(properties = {"sample.issue-one-invoice=false", "USE_QUEUE_EVENT_BUS=true",
        "hexbus.shutdown-deadline=5s"})
@DirtiesContext
class SpringSampleOnRedisTest {

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    private IssueInvoiceUseCase issueInvoice;
    @Autowired
    private InMemoryInvoiceRepository invoices;
    @Autowired
    private SentMails mails;
    @Autowired
    private InMemoryInvoiceAuditLog auditLog;
    @Autowired
    private RedisTransport transport;
    @Autowired
    private HexbusWorkers workers;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisConnectionSettings redis = TestRedis.shared();
        registry.add("hexbus.redis.url", () -> "redis://" + (redis.password() == null ? "" : ":" + redis.password()
                + "@") + redis.host() + ":" + redis.port() + "/" + redis.database());
        registry.add("hexbus.redis.key-prefix", () -> "hexbus-spring-sample-" + ID + ":{domain-events}");
        registry.add("hexbus.group", () -> "spring-sample-" + ID);
    }

    @Test
    void theWorkerMailsTheBillingContactOfAnIssuedInvoice() {
        assertThat(workers.running()).isEqualTo(1);
        String id = SampleInvoices.draft(invoices);

        assertThat(issueInvoice.issue(id, "tester").isRight()).isTrue();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(mails.sent()).extracting(Mail::to).containsExactly(id + "@example.com");
            assertThat(auditLog.entries()).hasSize(1);
        });
        assertThat(transport.admin().stats().deadLettered()).isZero();
    }
}
