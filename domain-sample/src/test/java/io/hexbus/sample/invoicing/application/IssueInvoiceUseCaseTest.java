package io.hexbus.sample.invoicing.application;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.shared.Money;
import io.vavr.control.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The use case is tested against a mocked EventBus port: no transport involved; {@link UnitOfWork#direct()} or a
 * mocked unit of work, no database.
 */
@ExtendWith(MockitoExtension.class)
class IssueInvoiceUseCaseTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:30:00Z");
    private static final String BILLING = "billing@company9.example";

    @Mock
    private EventBus eventBus;

    private final InvoiceRepository invoices = new InMemoryInvoiceRepository();

    private IssueInvoiceUseCase useCase() {
        return new IssueInvoiceUseCase(invoices, eventBus, UnitOfWork.direct(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void issuingADraftPublishesInvoiceIssuedWithItsFields() {
        invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9", BILLING, "store-3",
                Money.of("120.50", "EUR")));

        Either<IssueInvoiceUseCase.Failure, InvoiceIssued> result = useCase().issue("inv-1", "user-42");

        ArgumentCaptor<DomainEvent> published = ArgumentCaptor.forClass(DomainEvent.class);
        verify(eventBus).publish(published.capture());
        InvoiceIssued event = (InvoiceIssued) published.getValue();
        assertEquals(result.get(), event);
        assertEquals("inv-1", event.invoiceId());
        assertEquals("2026-0001", event.invoiceNumber());
        assertEquals("company-9", event.companyId());
        assertEquals(BILLING, event.billingEmail());
        assertEquals("store-3", event.storeId());
        assertEquals(Money.of("120.50", "EUR"), event.total());
        assertEquals("user-42", event.performedBy());
        assertEquals(NOW, event.occurredAt());
        assertEquals("company-9", event.metadata().tenantId());
        assertEquals(Invoice.Status.ISSUED, invoices.findById("inv-1").orElseThrow().status());
    }

    @Test
    void theEventIsOrderedByItsInvoice() {
        invoices.save(Invoice.draft("inv-7", "2026-0007", "company-9", BILLING, "store-3",
                Money.of("9.99", "EUR")));

        InvoiceIssued event = useCase().issue("inv-7", "user-42").get();

        assertEquals("inv-7", event.orderingKey(), "an invoice's events share its id as their ordering key");
    }

    @Test
    void issuingTwiceIsRefusedAndPublishesOnce() {
        invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9", BILLING, "store-3",
                Money.of("10", "EUR")));
        useCase().issue("inv-1", "user-42");

        assertEquals(Either.left(IssueInvoiceUseCase.Failure.ALREADY_ISSUED), useCase().issue("inv-1", "user-42"));

        verify(eventBus).publish(any());
    }

    @Test
    void aTotalThatIsNotPositiveIsRefusedAndNothingIsPublished() {
        invoices.save(Invoice.draft("inv-0", "2026-0002", "company-9", BILLING, "store-3",
                Money.of("0.00", "EUR")));

        assertEquals(Either.left(IssueInvoiceUseCase.Failure.TOTAL_NOT_POSITIVE), useCase().issue("inv-0", "u"));

        verify(eventBus, never()).publish(any());
        assertEquals(Invoice.Status.DRAFT, invoices.findById("inv-0").orElseThrow().status());
    }

    @Test
    void anUnknownInvoiceIsRefusedAndNothingIsPublished() {
        assertEquals(Either.left(IssueInvoiceUseCase.Failure.NOT_FOUND), useCase().issue("nope", "u"));

        verify(eventBus, never()).publish(any());
    }

    @Test
    void theFindTheSaveAndThePublishRunInsideOneUnitOfWork(@Mock UnitOfWork unitOfWork,
                                                          @Mock InvoiceRepository repository) {
        AtomicBoolean inUnit = new AtomicBoolean();
        List<String> calls = new ArrayList<>();
        when(unitOfWork.call(any())).thenAnswer(call -> {
            inUnit.set(true);
            try {
                return call.<Supplier<?>>getArgument(0).get();
            } finally {
                inUnit.set(false);
            }
        });
        when(repository.findById("inv-1")).thenAnswer(call -> {
            calls.add("find in unit: " + inUnit.get());
            return Optional.of(Invoice.draft("inv-1", "2026-0001", "company-9", BILLING, "store-3",
                    Money.of("10", "EUR")));
        });
        doAnswer(call -> calls.add("save in unit: " + inUnit.get())).when(repository).save(any());
        when(eventBus.publish(any())).thenAnswer(call -> {
            calls.add("publish in unit: " + inUnit.get());
            return PublishOutcome.PUBLISHED;
        });

        assertTrue(new IssueInvoiceUseCase(repository, eventBus, unitOfWork, Clock.fixed(NOW, ZoneOffset.UTC))
                .issue("inv-1", "user-42").isRight());

        assertEquals(List.of("find in unit: true", "save in unit: true", "publish in unit: true"), calls);
        verify(unitOfWork).call(any());
    }

    @Test
    void aSaveThatFailsReachesTheCallerThroughTheUnitAndNothingIsPublished(@Mock InvoiceRepository repository) {
        when(repository.findById("inv-1")).thenReturn(Optional.of(Invoice.draft("inv-1", "2026-0001", "company-9",
                BILLING, "store-3", Money.of("10", "EUR"))));
        IllegalStateException storeDown = new IllegalStateException("the invoice store is down");
        doThrow(storeDown).when(repository).save(any());

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> new IssueInvoiceUseCase(repository, eventBus, UnitOfWork.direct(),
                        Clock.fixed(NOW, ZoneOffset.UTC)).issue("inv-1", "user-42"));

        assertSame(storeDown, thrown, "unchanged, so that a transactional unit rolls back on it");
        verify(eventBus, never()).publish(any());
    }
}
