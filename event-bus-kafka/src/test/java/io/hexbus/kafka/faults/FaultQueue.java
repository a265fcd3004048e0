package io.hexbus.kafka.faults;

import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.KafkaWorkerSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One fault test's bus on a Kafka cluster: its own topic prefix, the partitions, replication and command timeout the
 * test chose, the same in the test's JVM and in the worker JVMs it starts (passed as arguments, {@link #args()}), since
 * a transport refuses topics of another shape. Workers use the broker's smallest session timeout, so that a killed one
 * is noticed within seconds. Immutable.
 *
 * @param servers  the bootstrap servers
 * @param settings the topics and timeouts
 */
record FaultQueue(String servers, KafkaQueueSettings settings) {

    /** The workers' session timeout: the broker's smallest by default ({@code group.min.session.timeout.ms}). */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    /**
     * @param servers       the bootstrap servers
     * @param partitions    partitions of the events topic
     * @param replicas      replicas of every topic
     * @param minInsync     replicas that must have a write
     * @param commandTimeout how long a call may take
     * @return a bus of a fresh topic prefix
     */
    static FaultQueue create(String servers, int partitions, int replicas, int minInsync, Duration commandTimeout) {
        return new FaultQueue(servers, KafkaQueueSettings.defaults("faults")
                .withTopicPrefix("hexbus-faults." + UUID.randomUUID()).withPartitions(partitions)
                .withReplication(replicas, minInsync).withCommandTimeout(commandTimeout));
    }

    /** @return the arguments {@link #fromArgs} reads back */
    List<String> args() {
        return List.of(servers, settings.topicPrefix(), Integer.toString(settings.partitions()),
                Integer.toString(settings.replicationFactor()), Integer.toString(settings.minInsyncReplicas()),
                Long.toString(settings.commandTimeout().toMillis()));
    }

    /**
     * @param args what {@link #args()} gave, from the first
     * @return the queue
     */
    static FaultQueue fromArgs(String... args) {
        return new FaultQueue(args[0], KafkaQueueSettings.defaults("faults").withTopicPrefix(args[1])
                .withPartitions(Integer.parseInt(args[2]))
                .withReplication(Integer.parseInt(args[3]), Integer.parseInt(args[4]))
                .withCommandTimeout(Duration.ofMillis(Long.parseLong(args[5]))));
    }

    /** @return a processor that knows {@link ParcelSent} */
    static DomainEventsProcessor processor() {
        return new DomainEventsProcessor(new EventTypeRegistry().register(ParcelSent.class));
    }

    /**
     * Connects a transport whose workers run {@code concurrency} handlers each.
     *
     * @param processor   routes to the handlers
     * @param concurrency handler slots per worker
     * @return the transport
     */
    KafkaTransport connect(DomainEventsProcessor processor, int concurrency) {
        EngineSettings engine = EngineSettings.defaults().withConcurrency(concurrency)
                .withBlockTimeout(Duration.ofMillis(200)).withShutdownDeadline(Duration.ofSeconds(10));
        return KafkaTransport.connect(KafkaConnectionSettings.parse(servers), settings,
                new KafkaWorkerSettings(engine, SESSION_TIMEOUT), processor, EventCodec.of(processor.eventTypes()));
    }

    /** Deletes the bus's topics and its consumer group: on a shared broker, the test leaves nothing behind. */
    void delete() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(settings.topicPrefix() + ".")).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            try {
                admin.deleteConsumerGroups(List.of(settings.consumerGroupId())).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a bus no worker consumed
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not delete the topics under " + settings.topicPrefix(), e);
        }
    }
}
