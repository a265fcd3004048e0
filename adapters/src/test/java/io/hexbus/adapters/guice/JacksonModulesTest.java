package io.hexbus.adapters.guice;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.util.Modules;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.testing.RecordingEventBus;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A feature module's Jackson module reaches the one codec of the injector, which the in-memory bus checks every
 * event with: an event holding a value with no JSON form of its own is published once the module is there,
 * and refused as a queue would refuse it when it is not.
 */
class JacksonModulesTest {

    /** A value class with no JSON form of its own: no public field, no getter. */
    static final class Iban {
        private final String text;

        private Iban(String text) {
            this.text = text;
        }

        static Iban parse(String text) {
            return new Iban(text.replace(" ", ""));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Iban iban && iban.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    @EventName("payments.refund-requested")
    record RefundRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, Iban payee, BigDecimal amount)
            implements DomainEvent {
    }

    /** What the payments feature's Guice module binds: its handler, and the JSON form of its value class. */
    private static final class PaymentsModule extends AbstractModule {
        private final List<DomainEvent> handled;
        private final boolean withJacksonModule;

        PaymentsModule(List<DomainEvent> handled, boolean withJacksonModule) {
            this.handled = handled;
            this.withJacksonModule = withJacksonModule;
        }

        @Override
        protected void configure() {
            Multibinder.newSetBinder(binder(), HandlerRegistrar.class).addBinding().toInstance(processor ->
                    List.of(processor.register(RefundRequested.class, "payments.refund", handled::add)));
            if (withJacksonModule) {
                Multibinder.newSetBinder(binder(), Module.class).addBinding().toInstance(ibansAsText());
            }
        }

        private static Module ibansAsText() {
            return new SimpleModule("ibans")
                    .addSerializer(Iban.class, ToStringSerializer.instance)
                    .addDeserializer(Iban.class, new FromStringDeserializer<>(Iban.class) {
                        @Override
                        protected Iban _deserialize(String value, DeserializationContext context) {
                            return Iban.parse(value);
                        }
                    });
        }
    }

    private final List<DomainEvent> handled = new CopyOnWriteArrayList<>();

    private static RefundRequested refund() {
        return new RefundRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY,
                Iban.parse("FR76 3000 6000 0112 3456 7890 189"), new BigDecimal("42.10"));
    }

    private Injector inMemoryApp(AbstractModule... features) {
        Injector injector = Guice.createInjector(Modules.combine(new EventBusCoreModule(),
                new InMemoryTransportModule(), Modules.combine(features)));
        injector.getInstance(HandlerRegistry.class).registerAll();
        return injector;
    }

    @Test
    void aFeaturesJacksonModuleLetsItsEventsBePublishedInMemory() {
        Injector injector = inMemoryApp(new PaymentsModule(handled, true));
        RefundRequested event = refund();

        assertEquals(PublishOutcome.PUBLISHED, injector.getInstance(EventBus.class).publish(event));

        assertEquals(List.of(event), handled);
        EventCodec codec = injector.getInstance(EventCodec.class);
        assertSame(codec, injector.getInstance(EventCodec.class));
        assertTrue(codec.encode(event, event.occurredAt()).json().contains("\"payee\":\"FR7630006000011234567890189\""),
                "the module writes the IBAN as its text");
        assertEquals(PublishOutcome.PUBLISHED, new RecordingEventBus(codec).publish(event),
                "a feature's unit test checks with the application's codec");
    }

    @Test
    void withoutTheModuleTheEventIsRefusedAsAQueueWouldRefuseIt() {
        Injector injector = inMemoryApp(new PaymentsModule(handled, false));
        RefundRequested event = refund();

        EventNotEncodableException thrown = assertThrows(EventNotEncodableException.class,
                () -> injector.getInstance(EventBus.class).publish(event));

        assertTrue(thrown.getMessage().contains(RefundRequested.class.getName()), thrown.getMessage());
        assertEquals(List.of(), handled);
    }

    @Test
    void theInMemoryBusChecksWithTheInjectorsCodecWhateverBindsIt() {
        AbstractModule smallEvents = new AbstractModule() {
            @Provides
            @Singleton
            EventCodec codec(EventTypeRegistry eventTypes, Set<Module> jacksonModules) {
                EventCodec.Builder codec = EventCodec.builder(eventTypes).maxBytes(2048);
                jacksonModules.forEach(codec::addModule);
                return codec.build();
            }
        };
        Injector injector = Guice.createInjector(Modules.override(new EventBusCoreModule()).with(smallEvents),
                new InMemoryTransportModule(), new PaymentsModule(handled, true));
        injector.getInstance(HandlerRegistry.class).registerAll();
        EventBus bus = injector.getInstance(EventBus.class);
        RefundRequested small = refund();
        RefundRequested large = new RefundRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY,
                Iban.parse("FR".repeat(2048)), BigDecimal.ONE);

        assertThrows(EventTooLargeException.class, () -> bus.publish(large));
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(small));

        assertEquals(List.of(small), handled);
    }
}
