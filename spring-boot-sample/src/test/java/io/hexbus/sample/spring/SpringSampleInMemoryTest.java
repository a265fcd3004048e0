package io.hexbus.sample.spring;

import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.testing.RecordingEventBus;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.mail.Mail;
import io.hexbus.spring.boot.AutoConfigureHexbusRecording;
import io.hexbus.spring.boot.HexbusAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import io.hexbus.api.publishing.EventBus;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample in memory, its default: the use case publishes, and the mail and the audit run before it returns. */
@SpringBootTest(properties = "sample.issue-one-invoice=false")
@AutoConfigureHexbusRecording
@DirtiesContext
class SpringSampleInMemoryTest {

    @Autowired
    private IssueInvoiceUseCase issueInvoice;
    @Autowired
    private InMemoryInvoiceRepository invoices;
    @Autowired
    private RecordingEventBus published;
    @Autowired
    @Qualifier(HexbusAutoConfiguration.TRANSPORT_BUS)
    private EventBus transportBus;
    @Autowired
    private SentMails mails;
    @Autowired
    private InMemoryInvoiceAuditLog auditLog;

    @BeforeEach
    void forgetEarlierEvents() {
        published.clear();
    }

    @Test
    void issuingAnInvoicePublishesItAndMailsTheBillingContact() {
        String id = SampleInvoices.draft(invoices);

        assertThat(issueInvoice.issue(id, "tester").isRight()).isTrue();

        InvoiceIssued issued = published.events().ofType(InvoiceIssued.class).single();
        assertThat(issued.invoiceId()).isEqualTo(id);
        assertThat(transportBus).isInstanceOf(InMemoryEventBus.class);
        assertThat(mails.sent()).extracting(Mail::to).containsExactly(id + "@example.com");
        assertThat(auditLog.entries()).anySatisfy(entry -> assertThat(entry).contains(issued.invoiceNumber()));
    }

    @Test
    void aRefusedIssuePublishesNothing() {
        assertThat(issueInvoice.issue("no-such-invoice", "tester").isLeft()).isTrue();

        published.events().assertNone();
    }
}
