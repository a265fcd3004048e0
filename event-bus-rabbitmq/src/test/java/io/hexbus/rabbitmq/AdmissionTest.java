package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.hexbus.engine.Progress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a worker does with a message before the ledger is asked, decided without a broker. */
class AdmissionTest {

    private static final long WRITTEN = 1_700_000_000_000L;
    private static final long NOW = 1_800_000_000_000L; // another clock: due times travel as delays

    @Test
    void aFirstDeliveryIsReadyWithNoProgress() {
        Admission admission = Admission.of(message(Map.of()), Received.Source.WORK, NOW);

        assertEquals(new Admission.Ready(Progress.NONE), admission);
    }

    @Test
    void aRetryBackFromItsTierWithWaitLeftHopsWithItsDelaysShortenedByTheTier() {
        Progress progress = new Progress(Set.of("done"), Set.of(), Map.of("failing", 1),
                Map.of("failing", WRITTEN + 20_000), 0, "boom");
        Map<String, Object> headers = retry(progress, 20_000, RetryTier.S16);

        Admission admission = Admission.of(message(headers), Received.Source.DUE, NOW);

        Admission.Hop hop = assertInstanceOf(Admission.Hop.class, admission);
        assertEquals(4_000, hop.waitMillis(), "20 s to wait, 16 s spent in the tier");
        assertEquals(Map.of("failing", NOW + 4_000), ProgressText.decode(hop.progress(), NOW, 0).dueAt());
    }

    @Test
    void aRetryWhoseWaitTheTierUsedUpIsReadyAndDueNow() {
        Progress progress = new Progress(Set.of(), Set.of(), Map.of("failing", 2),
                Map.of("failing", WRITTEN + 4_000), 0, "boom");

        Admission admission = Admission.of(message(retry(progress, 4_000, RetryTier.S4)), Received.Source.DUE, NOW);

        Admission.Ready ready = assertInstanceOf(Admission.Ready.class, admission);
        assertEquals(Map.of("failing", NOW), ready.progress().dueAt());
        assertEquals(Map.of("failing", 2), ready.progress().attempts());
    }

    @Test
    void aMessagePastTheDeliveryLimitIsPoisonWithItsProgress() {
        Progress progress = new Progress(Set.of("done"), Set.of(), Map.of(), Map.of(), 1, "");
        Map<String, Object> headers = new HashMap<>();
        headers.put(Wire.PROGRESS, ProgressText.encode(progress, WRITTEN));

        Admission admission = Admission.of(message(headers), Received.Source.POISON, NOW);

        assertEquals(Set.of("done"), assertInstanceOf(Admission.Poison.class, admission).progress().done());
    }

    @Test
    void headersNoHexbusWorkerWritesAreUnreadableNamingTheHeader() {
        assertUnreadable(Map.of(Wire.ROUND, -1), Wire.ROUND);
        assertUnreadable(Map.of(Wire.ROUND, "two"), Wire.ROUND);
        assertUnreadable(Map.of(Wire.WAIT, -5L), Wire.WAIT);
        assertUnreadable(Map.of(Wire.TIER, "3s"), Wire.TIER);
        assertUnreadable(Map.of(Wire.PROGRESS, "not progress"), Wire.PROGRESS);
    }

    @Test
    void theEarliestDelayIsOfTheSubscriptionsStillWaiting() {
        Progress progress = new Progress(Set.of("done"), Set.of("dead"), Map.of(),
                Map.of("done", NOW - 1, "dead", NOW + 1, "soon", NOW + 3_000, "later", NOW + 9_000), 0, "");

        assertEquals(3_000, Admission.earliestDelay(progress, NOW));
        assertEquals(0, Admission.earliestDelay(Progress.NONE, NOW));
        assertEquals(0, Admission.earliestDelay(progress, NOW + 60_000), "overdue is due now, not negative");
    }

    @Test
    void aDeadLetterIdIsTheEventIdOrOneDerivedStablyFromTheMessage() {
        UUID id = UUID.randomUUID();
        byte[] body = "{".getBytes(StandardCharsets.UTF_8);

        assertEquals(id, Admission.uuidOr(id.toString(), "m-1", body));
        assertEquals(Admission.uuidOr("not an id", "m-1", body), Admission.uuidOr(null, "m-1", new byte[0]));
        assertEquals(Admission.uuidOr(null, null, body), Admission.uuidOr("x", null, body));
        assertTrue(!Admission.uuidOr(null, "m-1", body).equals(Admission.uuidOr(null, "m-2", body)));
    }

    private static void assertUnreadable(Map<String, Object> headers, String naming) {
        Admission admission = Admission.of(message(headers), Received.Source.DUE, NOW);
        Admission.Unreadable unreadable = assertInstanceOf(Admission.Unreadable.class, admission, headers::toString);
        assertTrue(unreadable.reason().contains(naming), unreadable.reason());
    }

    private static Map<String, Object> retry(Progress progress, long waitMillis, RetryTier tier) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Wire.ROUND, 1);
        headers.put(Wire.PROGRESS, ProgressText.encode(progress, WRITTEN));
        headers.put(Wire.WAIT, waitMillis);
        headers.put(Wire.TIER, tier.label());
        return headers;
    }

    private static RabbitMessage message(Map<String, Object> extra) {
        Map<String, Object> headers = new HashMap<>(extra);
        headers.putIfAbsent(Wire.NAME, "parcel.shipped");
        headers.putIfAbsent(Wire.ID, UUID.randomUUID().toString());
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId("m-1").headers(headers).build();
        return RabbitMessage.of(properties, "{}".getBytes(StandardCharsets.UTF_8));
    }
}
