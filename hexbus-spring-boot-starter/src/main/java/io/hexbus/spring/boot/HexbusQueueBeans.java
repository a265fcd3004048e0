package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ports of whichever queued transport the context holds ({@code redis}, {@code kafka}, {@code rabbitmq} or
 * {@code none}): its {@link EventBus}, named {@value HexbusAutoConfiguration#TRANSPORT_BUS}, and its
 * {@link QueueAdmin}. Each transport's configuration declares only the transport itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnHexbusTransport({HexbusTransport.REDIS, HexbusTransport.KAFKA, HexbusTransport.RABBITMQ,
        HexbusTransport.NONE})
class HexbusQueueBeans {

    // The selection first: a transport missing from the class path fails with its artifact named, not as a
    // missing bean.
    @Bean(HexbusAutoConfiguration.TRANSPORT_BUS)
    EventBus hexbusTransportBus(HexbusTransportSelection selection, QueuedTransport transport) {
        return transport.eventBus();
    }

    @Bean
    QueueAdmin hexbusQueueAdmin(HexbusTransportSelection selection, QueuedTransport transport) {
        return transport.admin();
    }
}
