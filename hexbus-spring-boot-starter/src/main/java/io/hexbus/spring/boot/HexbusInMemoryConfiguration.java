package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The in-memory transport: handlers run in the publisher's thread; no worker, no retry, no persistence. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnHexbusTransport(HexbusTransport.IN_MEMORY)
class HexbusInMemoryConfiguration {

    @Bean(name = HexbusAutoConfiguration.TRANSPORT_BUS, destroyMethod = "close")
    InMemoryEventBus hexbusTransportBus(DomainEventsProcessor processor, EventCodec codec,
                                        HexbusTransportSelection selection) {
        return new InMemoryEventBus(processor, InMemoryEventBusSettings.DEFAULT, Clock.systemUTC(), codec);
    }
}
