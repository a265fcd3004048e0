package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamIdsTest {

    @Test
    void ordersByTimeThenSequenceNumericallyNotAsText() {
        assertTrue(StreamIds.compare("9-0", "10-0") < 0, "9 ms is before 10 ms, though '9' > '1' as text");
        assertTrue(StreamIds.compare("5-10", "5-9") > 0);
        assertEquals(0, StreamIds.compare("1700000000000-3", "1700000000000-3"));
        assertTrue(StreamIds.compare("18446744073709551615-0", "1-0") > 0, "ids are unsigned 64-bit");
    }

    @Test
    void refusesWhatIsNotAnEntryId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamIds.compare("5", "5-0"));
        assertTrue(e.getMessage().contains("'5'"), e.getMessage());
    }
}
