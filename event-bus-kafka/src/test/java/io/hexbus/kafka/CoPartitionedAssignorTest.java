package io.hexbus.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CoPartitionedAssignor} without a broker: partition n of every topic goes to one worker, a worker keeps what
 * it owns up to its share, and a partition that moves is given to nobody until its owner gave it up (the cooperative
 * protocol's rule), then to its new owner.
 */
class CoPartitionedAssignorTest {

    private static final Set<String> TOPICS = Set.of("p.events", "p.g.retry.1s", "p.g.retry.4s");
    private static final Map<String, Integer> PARTITIONS = Map.of("p.events", 8, "p.g.retry.1s", 8, "p.g.retry.4s", 8);

    @Test
    void aLoneWorkerGetsEveryPartition() {
        Map<String, List<TopicPartition>> round = CoPartitionedAssignor.assign(PARTITIONS, Map.of("a", member()));

        assertEquals(24, round.get("a").size());
    }

    @Test
    void aJoiningWorkerGetsHalfTheUnitsOnlyOnceTheirOwnerGaveThemUp() {
        Map<String, CoPartitionedAssignor.Member> members = new HashMap<>();
        members.put("a", member(all(Set.of(0, 1, 2, 3, 4, 5, 6, 7))));
        members.put("b", member());

        Map<String, List<TopicPartition>> first = CoPartitionedAssignor.assign(PARTITIONS, members);

        assertEquals(Set.of(0, 1, 2, 3), numbers(first.get("a")), "a keeps its share of what it owns");
        assertEquals(12, first.get("a").size());
        assertTrue(first.get("b").isEmpty(), "nothing a still owns goes to b in the same round");

        members.put("a", member(first.get("a")));
        Map<String, List<TopicPartition>> second = CoPartitionedAssignor.assign(PARTITIONS, members);

        assertEquals(first.get("a"), second.get("a"), "a keeps everything: nothing else moves");
        assertEquals(Set.of(4, 5, 6, 7), numbers(second.get("b")));
        assertEquals(12, second.get("b").size(), "every topic's partition of a unit goes with it");
    }

    @Test
    void aLeavingWorkersUnitsGoToTheOthersAndNothingElseMoves() {
        Map<String, CoPartitionedAssignor.Member> members = new HashMap<>();
        members.put("a", member(all(Set.of(0, 1, 2))));
        members.put("c", member(all(Set.of(6, 7))));
        // b, which owned 3, 4 and 5, left

        Map<String, List<TopicPartition>> round = CoPartitionedAssignor.assign(PARTITIONS, members);

        assertEquals(Set.of(0, 1, 2, 3), numbers(round.get("a")));
        assertEquals(Set.of(4, 5, 6, 7), numbers(round.get("c")));
    }

    @Test
    void everyUnitIsWholeWithOneOwnerAndTheSharesDifferByOneAtMost() {
        Map<String, CoPartitionedAssignor.Member> members = new TreeMap<>();
        members.put("a", member(all(Set.of(0, 1, 2, 3, 4))));
        members.put("b", member(all(Set.of(5, 6, 7))));
        members.put("c", member());
        for (int round = 0; round < 3; round++) {
            Map<String, List<TopicPartition>> assigned = CoPartitionedAssignor.assign(PARTITIONS, members);
            assigned.forEach((id, partitions) -> members.put(id, member(partitions)));
        }

        Set<Integer> seen = new HashSet<>();
        List<Integer> shares = new ArrayList<>();
        members.forEach((id, member) -> {
            Set<Integer> units = numbers(member.owned());
            assertEquals(units.size() * TOPICS.size(), member.owned().size(), id + " has whole units");
            units.forEach(unit -> assertTrue(seen.add(unit), "unit " + unit + " has one owner"));
            shares.add(units.size());
        });
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), seen);
        assertEquals(List.of(3, 3, 2), shares, "a and b keep 3 each, c gets the 2 they gave up");
    }

    @Test
    void aPartitionClaimedTwiceIsTheNewestGenerationsClaim() {
        Map<String, CoPartitionedAssignor.Member> members = new HashMap<>();
        members.put("a", new CoPartitionedAssignor.Member(TOPICS, all(Set.of(0, 1, 2, 3)), 4));
        members.put("b", new CoPartitionedAssignor.Member(TOPICS, all(Set.of(3, 4, 5, 6, 7)), 5)); // a is stale

        Map<String, List<TopicPartition>> round = CoPartitionedAssignor.assign(PARTITIONS, members);

        assertEquals(Set.of(0, 1, 2), numbers(round.get("a")));
        assertEquals(Set.of(3, 4, 5, 6), numbers(round.get("b")));
    }

    private static CoPartitionedAssignor.Member member() {
        return member(List.of());
    }

    private static CoPartitionedAssignor.Member member(List<TopicPartition> owned) {
        return new CoPartitionedAssignor.Member(TOPICS, owned, 1);
    }

    private static List<TopicPartition> all(Set<Integer> units) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            units.forEach(unit -> partitions.add(new TopicPartition(topic, unit)));
        }
        return partitions;
    }

    private static Set<Integer> numbers(List<TopicPartition> partitions) {
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(partition -> numbers.add(partition.partition()));
        return numbers;
    }
}
