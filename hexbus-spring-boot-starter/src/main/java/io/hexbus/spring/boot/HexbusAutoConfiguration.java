package io.hexbus.spring.boot;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of hexbus: one {@link EventTypeRegistry} (with what {@link HexbusEventTypes} beans add), one
 * {@link EventCodec} over it (with what {@link HexbusCodecCustomizer} beans add), one {@link DomainEventsProcessor},
 * the handler beans ({@link HexbusHandlerBeans}), the {@link io.hexbus.api.publishing.EventBus} of the transport
 * {@link HexbusTransportSelection} chooses, named {@value #TRANSPORT_BUS}, and its workers ({@link HexbusWorkers}).
 * Each of the first three gives way to a bean of the application's own. A queued transport connects when the
 * context creates it, and closes with the context.
 */
@AutoConfiguration
@EnableConfigurationProperties(HexbusProperties.class)
@Import({HexbusInMemoryConfiguration.class, HexbusNoDeliveryConfiguration.class, HexbusRedisConfiguration.class,
        HexbusKafkaConfiguration.class, HexbusRabbitConfiguration.class, HexbusQueueBeans.class})
public class HexbusAutoConfiguration {

    /** The name of the transport's {@link io.hexbus.api.publishing.EventBus} bean. */
    public static final String TRANSPORT_BUS = "hexbusTransportBus";

    /** Created by Spring. */
    public HexbusAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param properties  {@code hexbus.*}
     * @param environment where {@code USE_QUEUE_EVENT_BUS} is read
     * @param resources   whose class loader must hold the chosen transport
     * @return the transport and the mode
     * @throws IllegalArgumentException naming a setting whose value is wrong
     * @throws IllegalStateException    naming the artifact the chosen transport needs on the class path
     */
    @Bean
    public HexbusTransportSelection hexbusTransportSelection(HexbusProperties properties, Environment environment,
                                                              ResourceLoader resources) {
        return HexbusTransportSelection.choose(properties.transport(), properties.queue(),
                        environment.getProperty(HexbusTransportSelection.USE_QUEUE_EVENT_BUS), properties.mode())
                .requireOnClassPath(resources.getClassLoader());
    }

    /**
     * @param contributions what the application registers
     * @return the registry, with every contribution applied in bean order
     */
    @Bean
    @ConditionalOnMissingBean
    public EventTypeRegistry hexbusEventTypeRegistry(ObjectProvider<HexbusEventTypes> contributions) {
        EventTypeRegistry registry = new EventTypeRegistry();
        contributions.orderedStream().forEach(contribution -> contribution.register(registry));
        return registry;
    }

    /**
     * @param eventTypes  the registry
     * @param customizers what the application adds to the codec
     * @return the codec every transport of this context shares
     */
    @Bean
    @ConditionalOnMissingBean
    public EventCodec hexbusEventCodec(EventTypeRegistry eventTypes, ObjectProvider<HexbusCodecCustomizer> customizers) {
        EventCodec.Builder codec = EventCodec.builder(eventTypes);
        customizers.orderedStream().forEach(customizer -> customizer.customize(codec));
        return codec.build();
    }

    /**
     * @param eventTypes the registry
     * @return the processor every transport of this context dispatches through
     */
    @Bean
    @ConditionalOnMissingBean
    public DomainEventsProcessor hexbusDomainEventsProcessor(EventTypeRegistry eventTypes) {
        return new DomainEventsProcessor(eventTypes);
    }

    /**
     * Static, as every bean post-processor: it must not make this configuration an early bean.
     *
     * @return what registers the handler beans
     */
    @Bean
    public static HexbusHandlerBeans hexbusHandlerBeans() {
        return new HexbusHandlerBeans();
    }

    /**
     * @param transport  the queue, if the transport is one
     * @param selection  the transport and the mode
     * @param properties {@code hexbus.*}
     * @param sets       the transport's own worker sets, if it configures them ({@code hexbus.redis.workers})
     * @return the workers, started and stopped with the context
     */
    @Bean
    public HexbusWorkers hexbusWorkers(ObjectProvider<QueuedTransport> transport, HexbusTransportSelection selection,
                                       HexbusProperties properties, ObjectProvider<HexbusWorkerSets> sets) {
        HexbusWorkerSets own = sets.getIfAvailable();
        return own == null ? new HexbusWorkers(transport.getIfAvailable(), selection, properties.workers())
                : new HexbusWorkers(transport.getIfAvailable(), selection, own.starts());
    }
}
