package io.hexbus.kafka.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cleans up after a test of a Kafka transport on a topic prefix of its own: deletes that prefix's topics and the
 * consumer group of its application, on the shared test Kafka or another cluster, never anything else.
 */
public final class KafkaTestTopics {

    private KafkaTestTopics() {
    }

    /**
     * Deletes every topic named {@code <prefix>.*} and the consumer group {@code <prefix>.<group>}; a group no worker
     * ever joined is not there, and that is fine.
     *
     * @param bootstrapServers the cluster
     * @param prefix           a topic prefix no other test uses
     * @param group            the application's group under that prefix
     * @throws IllegalStateException if the cluster does not answer within 30 s
     */
    public static void deleteUnder(String bootstrapServers, String prefix, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(topic -> topic.startsWith(prefix + ".")).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            try {
                admin.deleteConsumerGroups(List.of(prefix + "." + group)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException noSuchGroup) {
                // a queue no worker consumed
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not delete the topics under " + prefix, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the topics under " + prefix, e);
        }
    }
}
