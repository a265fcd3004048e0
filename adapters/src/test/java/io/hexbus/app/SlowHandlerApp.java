package io.hexbus.app;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.hexbus.adapters.guice.HandlerRegistrar;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The app as {@link HexbusApp#main} runs it, plus one test feature module whose handler is slow and says when it
 * starts and finishes: a test starts this as a child process and stops it while the handler runs.
 * {@code SLOW_HANDLER_MILLIS} (default 3000) is how long the handler works.
 */
final class SlowHandlerApp {

    static final String MILLIS = "SLOW_HANDLER_MILLIS";
    static final String SUBSCRIPTION = "test.slow-invoice-handler";
    static final String STARTED = "Slow handler started";
    static final String FINISHED = "Slow handler finished";

    private SlowHandlerApp() {
    }

    public static void main(String[] args) {
        long millis = Long.parseLong(System.getenv().getOrDefault(MILLIS, "3000"));
        System.exit(new HexbusApp(System.getenv(), List.of(new SlowHandlerModule(millis))).run());
    }

    /** Contributes the slow handler on {@code invoicing.invoice-issued}, as any feature module would. */
    static final class SlowHandlerModule extends AbstractModule {

        private static final Logger log = LoggerFactory.getLogger(SlowHandlerModule.class);

        private final long millis;

        SlowHandlerModule(long millis) {
            this.millis = millis;
        }

        @ProvidesIntoSet
        HandlerRegistrar slowHandler() {
            return processor -> List.of(processor.register(InvoiceIssued.class, SUBSCRIPTION, event -> {
                log.info("{} on {}", STARTED, event.eventId());
                Thread.sleep(millis); // the handler's work, which the test interrupts with SIGTERM
                log.info("{} on {}", FINISHED, event.eventId());
            }, SubscriptionOptions.DEFAULT.withTimeout(Duration.ofMinutes(5))));
        }
    }
}
