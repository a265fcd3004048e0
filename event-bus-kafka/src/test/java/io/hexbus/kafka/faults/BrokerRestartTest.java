package io.hexbus.kafka.faults;

import io.hexbus.api.testing.faults.Runs;
import io.hexbus.api.testing.faults.RunLog;
import io.hexbus.api.testing.faults.ContinuousPublisher;
import io.hexbus.api.testing.faults.DeliveryAudit;

import io.hexbus.kafka.testing.CreatedTopics;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.testing.KafkaCluster;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A broker of a 3-node cluster killed (SIGKILL) and restarted while a publisher publishes and two workers handle,
 * the bus's topics with 3 replicas of which 2 must have each write ({@code min.insync.replicas=2}). The node killed
 * is the consumer group's coordinator, which also leads some partitions. Every event whose publish returned is
 * finished by both subscriptions and no subscription runs once its event was recorded done
 * ({@link DeliveryAudit}); the counts are logged. The nodes' output goes to files next to the test's log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BrokerRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close(); // the clients before their cluster
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    private KafkaTransport transport(FaultQueue queue, Path runs) {
        DomainEventsProcessor processor = FaultQueue.processor();
        closedAfter(RunLog.open(runs)).register(processor, Duration.ofMillis(5));
        return closedAfter(queue.connect(processor, 4));
    }

    @Test
    void aBrokerKilledAndRestartedMidRunLosesNoAcknowledgedEventAndRunsNothingDoneAgain() throws Exception {
        KafkaCluster cluster = closedAfter(TestKafka.cluster(3));
        FaultQueue queue = FaultQueue.create(cluster.bootstrapServers(), 3, 3, 2, Duration.ofSeconds(5));
        Path firstRuns = TestLogs.file("first-runs");
        Path secondRuns = TestLogs.file("second-runs");
        List<Path> logs = List.of(firstRuns, secondRuns);
        KafkaTransport first = transport(queue, firstRuns);
        KafkaTransport second = transport(queue, secondRuns);
        Admin admin = closedAfter(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers())));
        String events = queue.settings().eventsTopic();
        // Created a moment ago through another admin client: the broker asked may not know it yet.
        assertEquals(List.of(3, 3, 3), CreatedTopics.description(admin, events).partitions().stream()
                .map(p -> p.replicas().size()).toList());
        assertEquals("2", CreatedTopics.config(admin, events).get("min.insync.replicas").value());
        StateTopicRecords state = closedAfter(new StateTopicRecords(queue.servers(), queue.settings()));
        first.startWorker();
        second.startWorker();
        ContinuousPublisher publisher = closedAfter(new ContinuousPublisher(first.eventBus(), Duration.ofMillis(5)));

        await().atMost(WAIT).until(() -> Runs.read(logs).finished("bill").size() >= 100);
        int victim = admin.describeConsumerGroups(List.of(queue.settings().consumerGroupId())).all()
                .get(30, TimeUnit.SECONDS).get(queue.settings().consumerGroupId()).coordinator().id();
        List<Integer> leaders = leaders(describe(admin, events));
        int beforeKill = publisher.acknowledgedCount();
        cluster.kill(victim);
        LOG.info("Killed node {} (the group's coordinator; the events' partition leaders were {}) after {} publishes",
                victim, leaders, beforeKill);
        await().atMost(WAIT).until(() -> publisher.acknowledgedCount() >= beforeKill + 150);
        LOG.info("Restarting node {} after {} publishes", victim, publisher.acknowledgedCount());
        cluster.restart(victim);
        await().atMost(WAIT).ignoreExceptions().until(() -> describe(admin, events).partitions().stream()
                .allMatch(p -> p.isr().size() == 3));
        int afterRestart = publisher.acknowledgedCount();
        LOG.info("Node {} is back in sync after {} publishes", victim, afterRestart);
        await().atMost(WAIT).until(() -> publisher.acknowledgedCount() >= afterRestart + 150);
        publisher.close();

        DeliveryAudit audit = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> new DeliveryAudit(publisher.acknowledged(), publisher.uncertain(), Runs.read(logs),
                        state.read()), DeliveryAudit::complete);
        LOG.info("Broker {} of 3 killed and restarted: {}", victim, audit.summary());
        audit.check();
        int done = state.read().size();
        QueueStats stats = await().atMost(WAIT).until(() -> second.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.completed() >= done);
        LOG.info("Stats after the restart: {}", stats);
        assertEquals(done, stats.completed(), "each event recorded done counted once");
        assertEquals(0, stats.deadLettered());
        assertEquals(0, stats.failedAttempts(), "a broker's restart is not a failed attempt");
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    }

    private static List<Integer> leaders(TopicDescription topic) {
        return topic.partitions().stream().map(TopicPartitionInfo::leader).map(n -> n == null ? -1 : n.id()).toList();
    }
}
