package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.inmemory.testing.RecordingEventBus;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The recording bus of {@link AutoConfigureHexbusRecording}; imported by that annotation only, never by the
 * application's own auto-configuration.
 */
@AutoConfiguration(after = HexbusAutoConfiguration.class)
public class HexbusRecordingAutoConfiguration {

    /** Created by Spring. */
    public HexbusRecordingAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param transportBus the transport's bus, which the recorder forwards to without the outbox
     * @param beans        where the outbox's bus ({@value HexbusOutboxAutoConfiguration#OUTBOX_BUS}) is, if it is
     *                     on: the recorder then forwards to it, so a use case's events still go through the outbox
     * @return the recorder, the primary {@code EventBus}
     */
    @Bean
    @Primary
    public RecordingEventBus hexbusRecordingEventBus(@Qualifier(HexbusAutoConfiguration.TRANSPORT_BUS)
                                                     EventBus transportBus, BeanFactory beans) {
        return RecordingEventBus.forwardingTo(beans.containsBean(HexbusOutboxAutoConfiguration.OUTBOX_BUS)
                ? beans.getBean(HexbusOutboxAutoConfiguration.OUTBOX_BUS, EventBus.class) : transportBus);
    }
}
