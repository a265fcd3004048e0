package io.hexbus.kafka.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Reads a topic created a moment ago, by this admin client or another: the broker a client asks may not know the
 * topic yet (a cluster's metadata reaches each broker a moment after the creation was acknowledged), and answers
 * {@code UnknownTopicOrPartitionException} until it does. Each read is tried again until it answers.
 */
public final class CreatedTopics {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private CreatedTopics() {
    }

    /**
     * @param admin a connected admin client
     * @param topic a topic that was created
     * @return its description, once a broker asked knows it
     * @throws org.awaitility.core.ConditionTimeoutException if none does within 30 s
     */
    public static TopicDescription description(Admin admin, String topic) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeTopics(List.of(topic))
                .allTopicNames().get(10, TimeUnit.SECONDS).get(topic), Objects::nonNull);
    }

    /**
     * @param admin a connected admin client
     * @param topic a topic that was created
     * @return its configuration, once a broker asked knows it
     * @throws org.awaitility.core.ConditionTimeoutException if none does within 30 s
     */
    public static Config config(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeConfigs(List.of(resource)).all()
                .get(10, TimeUnit.SECONDS).get(resource), Objects::nonNull);
    }
}
