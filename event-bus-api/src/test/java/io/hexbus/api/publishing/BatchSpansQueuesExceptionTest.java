package io.hexbus.api.publishing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchSpansQueuesExceptionTest {

    @Test
    void thePartsComeInTheOrderOfEachQueuesFirstEventSoThatForwardingThemKeepsTheBatchsFirstEventFirst() {
        Map<String, List<Integer>> sortedByName = new TreeMap<>(Map.of("alpha", List.of(1, 3), "zulu", List.of(0, 2),
                "mail", List.of(4)));

        BatchSpansQueuesException refused = new BatchSpansQueuesException("spans", sortedByName);

        assertEquals(List.of("zulu", "alpha", "mail"), List.copyOf(refused.parts().keySet()));
        assertEquals(sortedByName, refused.parts());
        assertThrows(UnsupportedOperationException.class, () -> refused.parts().put("other", List.of(5)));
    }
}
