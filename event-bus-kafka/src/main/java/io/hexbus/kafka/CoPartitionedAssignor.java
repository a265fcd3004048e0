package io.hexbus.kafka;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partition assignor of the workers' consumer group (docs/kafka-transport.md, "Rebalancing"): co-partitioned,
 * sticky and cooperative. The consumer instantiates it by its class, so it is public; applications do not use it.
 *
 * <ul>
 *   <li><b>Co-partitioned:</b> partition <i>n</i> of every topic a worker reads (the events topic and every retry
 *       tier) goes to one worker, the owner of <i>unit</i> <i>n</i>: a partition's key gate, its held keys and its
 *       retries are that worker's alone.</li>
 *   <li><b>Sticky:</b> every worker keeps the units it owns, up to its fair share (the units divided by the workers,
 *       rounded up for as many workers as the remainder, those owning most first); only the units beyond a share,
 *       and those no worker owns, move, to the workers below their share, in unit order.</li>
 *   <li><b>Cooperative</b> ({@link RebalanceProtocol#COOPERATIVE}): a partition that changes owner is given to
 *       nobody in the round that takes it from its owner; the owner's revocation ends its lease (the backend lets
 *       its handlers finish first) and the owner joins again, and the next round gives it to its new owner. So a
 *       worker joining or leaving moves only what must move, and the other partitions keep being read.</li>
 * </ul>
 *
 * <p>A partition claimed by two members (one of them late to learn of a newer generation) counts as the claim of
 * the newest generation. Every member of the group must use this assignor (it is the only strategy hexbus
 * configures). Stateless and thread-safe.
 */
public final class CoPartitionedAssignor implements ConsumerPartitionAssignor {

    /** The name members announce for this strategy. */
    static final String NAME = "hexbus-copartitioned";

    /** What the consumer instantiates. */
    public CoPartitionedAssignor() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Member> members = new HashMap<>();
        Map<String, Integer> partitions = new HashMap<>();
        groupSubscription.groupSubscription().forEach((id, subscription) -> {
            members.put(id, new Member(Set.copyOf(subscription.topics()), subscription.ownedPartitions(),
                    subscription.generationId().orElse(-1)));
            for (String topic : subscription.topics()) {
                Integer count = metadata.partitionCountForTopic(topic);
                if (count != null) {
                    partitions.put(topic, count);
                }
            }
        });
        Map<String, Assignment> out = new HashMap<>();
        assign(partitions, members).forEach((id, assigned) -> out.put(id, new Assignment(assigned)));
        return new GroupAssignment(out);
    }

    /**
     * What a member told the group.
     *
     * @param topics     the topics it subscribes to
     * @param owned      the partitions it owns now
     * @param generation the generation its ownership is of, -1 when unknown
     */
    record Member(Set<String> topics, List<TopicPartition> owned, int generation) {
    }

    /**
     * The assignment of one round, without a broker.
     *
     * @param partitions the partition count of each subscribed topic
     * @param members    the members by id
     * @return each member's partitions this round (sorted by topic, then partition); a partition that moves is in
     *         no member's list until its owner gave it up
     */
    static Map<String, List<TopicPartition>> assign(Map<String, Integer> partitions, Map<String, Member> members) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        members.keySet().forEach(id -> result.put(id, new ArrayList<>()));
        if (members.isEmpty()) {
            return result;
        }
        int units = partitions.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<TopicPartition, String> owner = owners(partitions, members);
        // A unit's owner: who owns its partitions (the claim on the lowest topic name wins a split unit).
        Map<Integer, String> unitOwner = new HashMap<>();
        byTopicThenPartition(owner).forEach((partition, id) ->
                unitOwner.putIfAbsent(partition.partition(), id));

        Map<String, TreeSet<Integer>> ownedUnits = new HashMap<>();
        members.keySet().forEach(id -> ownedUnits.put(id, new TreeSet<>()));
        unitOwner.forEach((unit, id) -> ownedUnits.get(id).add(unit));

        List<String> byOwned = new ArrayList<>(members.keySet());
        byOwned.sort(Comparator.comparingInt((String id) -> -ownedUnits.get(id).size()).thenComparing(id -> id));
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < byOwned.size(); i++) {
            quota.put(byOwned.get(i), units / byOwned.size() + (i < units % byOwned.size() ? 1 : 0));
        }

        Map<Integer, String> target = new TreeMap<>();
        for (String id : byOwned) {
            int kept = 0;
            for (int unit : ownedUnits.get(id)) {
                if (kept++ < quota.get(id)) {
                    target.put(unit, id);
                }
            }
        }
        List<String> byId = new ArrayList<>(new TreeSet<>(members.keySet()));
        int next = 0;
        for (int unit = 0; unit < units; unit++) {
            if (target.containsKey(unit)) {
                continue;
            }
            while (countOf(target, byId.get(next)) >= quota.get(byId.get(next))) {
                next++;
            }
            target.put(unit, byId.get(next));
        }

        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitions).entrySet()) {
            for (int n = 0; n < topic.getValue(); n++) {
                TopicPartition partition = new TopicPartition(topic.getKey(), n);
                String to = target.get(n);
                String from = owner.get(partition);
                // Cooperative: not given while another member still owns it; that member gives it up first.
                if (to != null && (from == null || from.equals(to)) && members.get(to).topics().contains(topic.getKey())) {
                    result.get(to).add(partition);
                }
            }
        }
        return result;
    }

    /** Each owned partition's owner; a partition claimed twice is the newest generation's (then the lowest id's). */
    private static Map<TopicPartition, String> owners(Map<String, Integer> partitions, Map<String, Member> members) {
        Map<TopicPartition, String> owner = new HashMap<>();
        for (String id : new TreeSet<>(members.keySet())) {
            Member member = members.get(id);
            for (TopicPartition partition : member.owned()) {
                Integer count = partitions.get(partition.topic());
                if (count == null || partition.partition() >= count) {
                    continue; // a topic no longer subscribed, or a partition no longer there
                }
                String other = owner.get(partition);
                if (other == null || members.get(other).generation() < member.generation()) {
                    owner.put(partition, id);
                }
            }
        }
        return owner;
    }

    private static Map<TopicPartition, String> byTopicThenPartition(Map<TopicPartition, String> owner) {
        Map<TopicPartition, String> sorted = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        sorted.putAll(owner);
        return sorted;
    }

    private static int countOf(Map<Integer, String> target, String id) {
        int count = 0;
        for (String owner : target.values()) {
            if (owner.equals(id)) {
                count++;
            }
        }
        return count;
    }
}
