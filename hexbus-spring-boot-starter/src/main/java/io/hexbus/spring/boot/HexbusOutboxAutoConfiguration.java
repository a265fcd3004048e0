package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.OutboxEventBus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The transactional outbox inside Spring transactions (docs/spring-boot.md, "The outbox"): with
 * {@code event-bus-outbox-jdbc} and {@code spring-jdbc} on the class path, one {@link DataSource} in the context and
 * {@code hexbus.outbox.enabled} not {@code false}, the {@link EventBus} that use cases inject is an
 * {@link OutboxEventBus}, named {@value #OUTBOX_BUS}, over {@link SpringTransactionConnections}: {@code publish}
 * inside a Spring transaction writes the events to the outbox table in that transaction, and outside one throws
 * {@link io.hexbus.outbox.NoUnitOfWorkException}. A {@link HexbusOutboxRelay} forwards the committed events to the
 * transport's bus ({@value HexbusAutoConfiguration#TRANSPORT_BUS}) with the settings of {@code hexbus.outbox.*}
 * ({@link HexbusOutboxProperties}), and the outbox's table is migrated at start unless
 * {@code hexbus.outbox.migrate=false}.
 *
 * <p>With {@code @AutoConfigureHexbusRecording}, the recorder stays the primary bus and forwards to this one.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {HexbusAutoConfiguration.class, HexbusRecordingAutoConfiguration.class},
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({OutboxEventBus.class, DataSourceUtils.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "hexbus.outbox", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HexbusOutboxProperties.class)
public class HexbusOutboxAutoConfiguration {

    /** The name of the outbox's {@link EventBus} bean. */
    public static final String OUTBOX_BUS = "hexbusOutboxBus";

    private static final String RECORDER = "io.hexbus.inmemory.testing.RecordingEventBus";

    /** Created by Spring. */
    public HexbusOutboxAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param dataSource the application's database
     * @return the outbox's view of Spring's transactions on it
     */
    @Bean
    public SpringTransactionConnections hexbusTransactionConnections(DataSource dataSource) {
        return new SpringTransactionConnections(dataSource);
    }

    /**
     * @param dataSource the application's database
     * @param properties {@code hexbus.outbox.*}
     * @return what migrates the outbox's table once every singleton is created
     */
    @Bean
    HexbusOutboxSchema hexbusOutboxSchema(DataSource dataSource, HexbusOutboxProperties properties) {
        return new HexbusOutboxSchema(dataSource, properties.migrate());
    }

    /**
     * @param dataSource the application's database
     * @param codec      the codec of the context
     * @param target     the transport's bus
     * @param processor  the processor of the context
     * @param properties {@code hexbus.outbox.*}, the relay's settings among them
     * @return the relay, started and stopped with the context
     */
    @Bean
    public HexbusOutboxRelay hexbusOutboxRelay(DataSource dataSource, EventCodec codec,
                                               @Qualifier(HexbusAutoConfiguration.TRANSPORT_BUS) EventBus target,
                                               DomainEventsProcessor processor, HexbusOutboxProperties properties) {
        return new HexbusOutboxRelay(dataSource, codec, target, processor, properties.relaySettings());
    }

    private static OutboxEventBus outboxBus(SpringTransactionConnections transactions, EventCodec codec,
                                            DomainEventsProcessor processor) {
        return new OutboxEventBus(transactions, codec, Clock.systemUTC(), processor.tracing());
    }

    /** The outbox's bus as the primary {@link EventBus}: what use cases get. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(type = RECORDER)
    static class PrimaryOutboxBus {

        @Bean(name = OUTBOX_BUS, destroyMethod = "close")
        @Primary
        OutboxEventBus hexbusOutboxBus(SpringTransactionConnections transactions, EventCodec codec,
                                       DomainEventsProcessor processor) {
            return outboxBus(transactions, codec, processor);
        }
    }

    /** Under {@code @AutoConfigureHexbusRecording}: the recorder is the primary bus, and forwards to this one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(type = RECORDER)
    static class RecordedOutboxBus {

        @Bean(name = OUTBOX_BUS, destroyMethod = "close")
        OutboxEventBus hexbusOutboxBus(SpringTransactionConnections transactions, EventCodec codec,
                                       DomainEventsProcessor processor) {
            return outboxBus(transactions, codec, processor);
        }
    }
}
