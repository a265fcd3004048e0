package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.NoDeliveryTransport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code none} transport: accepts, refuses and counts as a queue does, and delivers nothing. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnHexbusTransport(HexbusTransport.NONE)
class HexbusNoDeliveryConfiguration {

    @Bean(destroyMethod = "close")
    NoDeliveryTransport hexbusNoDeliveryTransport(DomainEventsProcessor processor, EventCodec codec,
                                                  HexbusTransportSelection selection) {
        return new NoDeliveryTransport(processor, codec);
    }
}
