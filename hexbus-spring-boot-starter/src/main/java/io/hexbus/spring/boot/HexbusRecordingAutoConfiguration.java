package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.inmemory.testing.RecordingEventBus;
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
     * @param transportBus the transport's bus, which the recorder forwards to
     * @return the recorder, the primary {@code EventBus}
     */
    @Bean
    @Primary
    public RecordingEventBus hexbusRecordingEventBus(@Qualifier(HexbusAutoConfiguration.TRANSPORT_BUS)
                                                     EventBus transportBus) {
        return RecordingEventBus.forwardingTo(transportBus);
    }
}
