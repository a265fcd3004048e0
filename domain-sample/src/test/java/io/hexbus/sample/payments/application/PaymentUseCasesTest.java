package io.hexbus.sample.payments.application;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import io.hexbus.sample.shared.Links;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.Refusal;
import io.hexbus.sample.testing.Published;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three payment use cases, each against a mocked EventBus. */
@ExtendWith(MockitoExtension.class)
class PaymentUseCasesTest {

    private static final Money TOTAL = Money.of("49.90", "EUR");

    @Mock
    private EventBus eventBus;

    private final Payments payments = new InMemoryPayments();

    private Payment pending() {
        Payment payment = new Payment("pay-1", "carla@example.com", "Carla", "Annual plan", TOTAL);
        payments.save(payment);
        return payment;
    }

    @Nested
    class CheckOut {

        private CheckOutUseCase useCase() {
            return new CheckOutUseCase(payments, eventBus, UnitOfWork.direct(), Links.of("https://app.example.com"),
                    Published.CLOCK);
        }

        @Test
        void opensAPendingPaymentAndPublishesTheCheckoutLink() {
            assertTrue(useCase().checkOut("carla@example.com", "Carla", "Annual plan", TOTAL).isRight());

            CheckoutEmailRequested event = Published.theOnly(eventBus, CheckoutEmailRequested.class);
            assertEquals("carla@example.com", event.customerEmail());
            assertEquals("Carla", event.customerName());
            assertEquals("Annual plan", event.description());
            assertEquals(TOTAL, event.amount());
            assertEquals("https://app.example.com/checkout/" + event.paymentId(), event.checkoutLink());
            assertEquals(Published.NOW, event.occurredAt());
            assertEquals(Payment.Status.PENDING, payments.findById(event.paymentId()).orElseThrow().status());
        }

        @Test
        void anAmountThatIsNotPositiveAndAMissingNameAreRefusedTogether() {
            assertEquals(new Refusal(Refusal.Kind.INVALID_INPUT, List.of("customerName is missing",
                            "amount is not positive")),
                    useCase().checkOut("carla@example.com", null, "Annual plan", Money.of("0", "EUR")).getLeft());
            Published.nothing(eventBus);
        }
    }

    @Nested
    class ConfirmPayment {

        private ConfirmPaymentUseCase useCase() {
            return new ConfirmPaymentUseCase(payments, eventBus, UnitOfWork.direct(), Published.CLOCK);
        }

        @Test
        void aPendingPaymentSucceedsAndTheReceiptIsRequested() {
            Payment payment = pending();

            assertTrue(useCase().paymentSucceeded("pay-1", "psp-webhook").isRight());

            PaymentSucceededEmailRequested event = Published.theOnly(eventBus, PaymentSucceededEmailRequested.class);
            assertEquals("pay-1", event.paymentId());
            assertEquals("carla@example.com", event.customerEmail());
            assertEquals("Carla", event.customerName());
            assertEquals("Annual plan", event.description());
            assertEquals(TOTAL, event.amount());
            assertEquals("psp-webhook", event.metadata().performedBy());
            assertEquals(Payment.Status.SUCCEEDED, payment.status());
        }

        @Test
        void anUnknownOrEndedPaymentIsRefusedAndNothingIsPublished() {
            pending().cancel();

            assertEquals(Refusal.notFound("no payment has this id"),
                    useCase().paymentSucceeded("pay-9", "psp-webhook").getLeft());
            assertEquals(Refusal.conflict("the payment has already been canceled"),
                    useCase().paymentSucceeded("pay-1", "psp-webhook").getLeft());
            Published.nothing(eventBus);
        }
    }

    @Nested
    class CancelPayment {

        private CancelPaymentUseCase useCase() {
            return new CancelPaymentUseCase(payments, eventBus, UnitOfWork.direct(), Published.CLOCK);
        }

        @Test
        void aPendingPaymentIsCanceledWithItsReason() {
            Payment payment = pending();

            assertTrue(useCase().cancel("pay-1", "The card was declined.", "psp-webhook").isRight());

            PaymentCanceledEmailRequested event = Published.theOnly(eventBus, PaymentCanceledEmailRequested.class);
            assertEquals("pay-1", event.paymentId());
            assertEquals("carla@example.com", event.customerEmail());
            assertEquals("The card was declined.", event.reason());
            assertEquals(TOTAL, event.amount());
            assertEquals(Payment.Status.CANCELED, payment.status());
        }

        @Test
        void aMissingReasonAndAPaidPaymentAreRefusedAndNothingIsPublished() {
            pending().succeed();

            assertEquals(new Refusal(Refusal.Kind.INVALID_INPUT, List.of("reason is missing")),
                    useCase().cancel("pay-1", " ", "psp-webhook").getLeft());
            assertEquals(Refusal.conflict("the payment has already succeeded"),
                    useCase().cancel("pay-1", "Changed my mind", "psp-webhook").getLeft());
            Published.nothing(eventBus);
        }
    }
}
