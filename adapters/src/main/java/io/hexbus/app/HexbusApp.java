package io.hexbus.app;

import io.hexbus.adapters.mail.Mailers;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.shared.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;

/**
 * The sample service's entry point: wires the transport chosen by {@code USE_QUEUE_EVENT_BUS} and the mailer
 * chosen by {@code SMTP_HOST} (SMTP when set, a logging mailer otherwise), registers the sample's handlers, and
 * runs the invoice flow and every mail use case once.
 */
public final class HexbusApp {

    private static final Logger log = LoggerFactory.getLogger(HexbusApp.class);

    /** Where the links in the sample's mails point. */
    static final Links LINKS = Links.of("http://localhost:8080");

    private final Map<String, String> environment;

    HexbusApp(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(new HexbusApp(System.getenv()).run());
    }

    /**
     * @return the process exit code: 0 when every flow ran, 2 on a configuration error, 1 on a failure
     */
    int run() {
        TransportChoice transport;
        Mailer mailer;
        try {
            transport = TransportChoice.from(environment);
            mailer = Mailers.fromEnvironment(environment);
        } catch (IllegalArgumentException badValue) {
            log.error("Configuration error: {}", badValue.getMessage());
            return 2;
        }
        if (transport == TransportChoice.QUEUE) {
            log.error("{}=true selects the Redis queue transport, which this build does not include yet;"
                    + " unset it to run in memory", TransportChoice.VARIABLE);
            return 2;
        }
        log.info("Transport: in-memory ({} is not true): handlers run in the publisher's thread",
                TransportChoice.VARIABLE);

        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        EventBus eventBus = new InMemoryEventBus(processor);
        SampleService sample = new SampleService(processor, eventBus, mailer, LINKS, Clock.systemUTC());
        try {
            return SampleTour.run(sample) ? 0 : 1;
        } catch (EventHandlingException handlersFailed) {
            log.error("Handlers failed: {}", handlersFailed.getMessage());
            return 1;
        }
    }
}
