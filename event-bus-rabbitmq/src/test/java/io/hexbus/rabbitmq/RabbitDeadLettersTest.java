package io.hexbus.rabbitmq;

import io.hexbus.api.testing.MutableClock;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.backend.DeadLetterRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RabbitDeadLetters} over a {@link DeadLetterStream} on the real broker: dead letters written, read back,
 * removed, cleaned and retried through a recording resend; a resend that throws loses nothing.
 */
class RabbitDeadLettersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Resent(DeadLetter letter, List<String> subscriptions, String retryId) {
    }

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)); // stored in ms
    private final List<Resent> resent = new CopyOnWriteArrayList<>();
    private TestStream testStream;
    private DeadLetterStream stream;
    private RabbitDeadLetters deadLetters;

    @BeforeEach
    void declare() throws Exception {
        testStream = new TestStream("dead-letters", "1D");
        stream = new DeadLetterStream(testStream.connection(), testStream.name(), Duration.ofDays(1), TIMEOUT, clock);
        deadLetters = new RabbitDeadLetters(stream, (letter, subscriptions, retryId) ->
                resent.add(new Resent(letter, subscriptions, retryId)), clock);
    }

    @AfterEach
    void delete() throws Exception {
        testStream.close();
    }

    @Test
    void aDeadLetterWrittenIsReadBackNewestFirst() {
        assertEquals(0, deadLetters.deadLetters(0, 10).total(), "an empty stream reads as no dead letter");
        UUID a = write("billing");
        clock.advance(Duration.ofSeconds(1));
        UUID b = write("emails", "search");

        DeadLetterPage page = deadLetters.deadLetters(0, 10);
        assertEquals(List.of(b, a), page.items().stream().map(DeadLetter::eventId).toList());
        assertEquals(2, page.total());
        DeadLetter read = deadLetters.deadLetter(b).orElseThrow();
        assertEquals(new DeadLetter(b, "order.placed", List.of("emails", "search"), 3, "boom " + b,
                clock.instant(), clock.instant(), "{\"id\":\"" + b + "\"}"), read);
        assertEquals(List.of(a), deadLetters.deadLetters(1, 1).items().stream().map(DeadLetter::eventId).toList());
        assertEquals(Optional.empty(), deadLetters.deadLetter(UUID.randomUUID()));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.deadLetters(0, 1_001));
    }

    @Test
    void aRemovedDeadLetterIsGone() {
        UUID a = write("billing");
        UUID b = write("billing");
        assertTrue(deadLetters.remove(a));
        assertFalse(deadLetters.remove(a), "removed already");
        assertFalse(deadLetters.remove(UUID.randomUUID()));
        assertEquals(Optional.empty(), deadLetters.deadLetter(a));
        assertEquals(List.of(b), ids(deadLetters.deadLetters(0, 10)));
    }

    @Test
    void aRetrySendsTheDeadLetterBackThenRemovesIt() {
        UUID a = write("billing", "emails");
        DeadLetterFold.Kept kept = stream.read().kept(a).orElseThrow();
        assertTrue(deadLetters.retry(a));
        assertEquals(List.of(new Resent(kept.letter(), List.of("billing", "emails"), kept.retryId())), resent);
        assertEquals(Optional.empty(), deadLetters.deadLetter(a));
        assertFalse(deadLetters.retry(a), "retried already");
        assertFalse(deadLetters.retry(UUID.randomUUID()));
        assertEquals(1, resent.size());
    }

    @Test
    void aResendThatThrowsLosesNothing() {
        UUID a = write("billing");
        TransportUnavailableException down = new TransportUnavailableException("the due queue is down", null);
        RabbitDeadLetters failing = new RabbitDeadLetters(stream, (letter, subscriptions, retryId) -> {
            throw down;
        }, clock);
        assertSame(down, assertThrows(TransportUnavailableException.class, () -> failing.retry(a)));
        assertSame(down, assertThrows(TransportUnavailableException.class, failing::retryAll));
        assertTrue(deadLetters.deadLetter(a).isPresent(), "the dead letter stays");
        assertTrue(deadLetters.retry(a), "and is retried once the resend works");
        assertEquals(Optional.empty(), deadLetters.deadLetter(a));
    }

    @Test
    void aRetryThatFailsAgainBeforeItIsRecordedStaysDeadLettered() {
        UUID a = write("billing");
        RabbitDeadLetters fast = new RabbitDeadLetters(stream, (letter, subscriptions, retryId) -> {
            clock.advance(Duration.ofSeconds(1));
            stream.write(record(letter.eventId(), subscriptions)); // the retry ran and failed again at once
        }, clock);
        assertTrue(fast.retry(a));
        DeadLetter again = deadLetters.deadLetter(a).orElseThrow();
        assertEquals(clock.instant(), again.lastFailedAt());
    }

    @Test
    void retryAllSendsEachBackOnceOldestFirst() {
        UUID a = write("billing");
        clock.advance(Duration.ofSeconds(1));
        UUID b = write("emails");
        clock.advance(Duration.ofSeconds(1));
        UUID c = write("search");
        assertEquals(3, deadLetters.retryAll());
        assertEquals(List.of(a, b, c), resent.stream().map(r -> r.letter().eventId()).toList());
        assertEquals(3, resent.stream().map(Resent::retryId).distinct().count());
        assertEquals(0, deadLetters.deadLetters(0, 10).total());
        assertEquals(0, deadLetters.retryAll());
    }

    @Test
    void cleaningRemovesTheDeadLettersOlderThanTheAge() {
        write("billing");
        write("billing");
        clock.advance(Duration.ofHours(2));
        UUID recent = write("billing");
        clock.advance(Duration.ofMinutes(1));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.cleanDeadLetters(Duration.ZERO));
        assertEquals(2, deadLetters.cleanDeadLetters(Duration.ofHours(1)));
        assertEquals(List.of(recent), ids(deadLetters.deadLetters(0, 10)));
        assertEquals(0, deadLetters.cleanDeadLetters(Duration.ofHours(1)));
        assertEquals(1, deadLetters.cleanDeadLetters(Duration.ofSeconds(1)));
        assertEquals(0, deadLetters.deadLetters(0, 10).total());
    }

    @Test
    void deadLettersPastTheRetentionAreNotListed() {
        write("billing");
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        UUID recent = write("billing");
        assertEquals(List.of(recent), ids(deadLetters.deadLetters(0, 10)));
    }

    @Test
    void aMessageThatDoesNotDecodeIsSkippedAndCounted() throws Exception {
        testStream.appendRaw("{\"not\":\"a record\"}".getBytes(StandardCharsets.UTF_8));
        UUID a = write("billing");
        DeadLetterFold fold = stream.read();
        assertEquals(1, fold.undecodable());
        assertEquals(List.of(a), ids(fold.page(0, 10)));
    }

    @Test
    void aMissingStreamFailsNamingIt() {
        String missing = testStream.name() + "-missing";
        DeadLetterStream nowhere = new DeadLetterStream(testStream.connection(), missing, Duration.ofDays(1),
                TIMEOUT, clock);
        TransportUnavailableException failed = assertThrows(TransportUnavailableException.class, nowhere::read);
        assertTrue(failed.getMessage().contains("'" + missing + "'"), failed.getMessage());
        assertTrue(testStream.connection().isOpen(), "the shared connection survives");
    }

    @Test
    void aFilteredCallReadsTheStreamOnceAndAppendsOnlyWhatItChanges() {
        UUID a = write("billing");
        UUID b = write("billing", "mail");
        UUID c = write("mail");
        DeadLetterFilter billing = DeadLetterFilter.ANY.withSubscription("billing");
        long before = endOffset();

        DeadLetterPage page = deadLetters.deadLetters(billing, 1, 1);
        assertEquals(List.of(a), page.items().stream().map(DeadLetter::eventId).toList(), "newest first: b, then a");
        assertEquals(2, page.total());
        assertEquals(2, deadLetters.retryAll(billing));
        assertEquals(List.of(a, b), resent.stream().map(r -> r.letter().eventId()).toList());
        assertEquals(1, deadLetters.removeAll(DeadLetterFilter.ANY.withSubscription("mail")));

        // One sync marker per call (a read each), 2 Retried, 1 Removed of c, then endOffset's own marker.
        assertEquals(before + 3 + 2 + 1 + 1, endOffset());
        assertEquals(Optional.empty(), deadLetters.deadLetter(c));
        assertEquals(List.of(), stream.read().oldestFirst());
    }

    @Test
    void theAdminsIndexReadsAtMostOncePerIntervalKeepsNoEnvelopeAndExpires() {
        DeadLetterIndex index = new DeadLetterIndex(stream, new ReadThrottle(Duration.ofHours(1), System::nanoTime));
        assertEquals(0, index.read(DeadLetterFold::total));
        UUID a = write("billing");
        long before = endOffset();

        assertEquals(0, index.read(DeadLetterFold::total), "within the interval: the fold as its last read left it");
        assertEquals(before + 1, endOffset(), "no sync marker appended meanwhile");
        index.behind();
        DeadLetter letter = index.read(fold -> fold.get(a)).orElseThrow();
        assertEquals("", letter.envelope());
        assertEquals("boom " + a, letter.lastError());
        write("mail");
        assertEquals(2, index.readNow(DeadLetterFold::total), "a read now, whatever the interval");

        clock.advance(Duration.ofDays(1));
        assertEquals(0, index.read(DeadLetterFold::total), "past the retention by the clock, without a read");
    }

    private long endOffset() {
        return new StreamLog(testStream.connection(), testStream.name(), TIMEOUT).readToEnd((offset, body) -> {
        }, 0);
    }

    private UUID write(String... subscriptions) {
        UUID id = UUID.randomUUID();
        stream.write(record(id, List.of(subscriptions)));
        return id;
    }

    private static DeadLetterRecord record(UUID id, List<String> subscriptions) {
        return new DeadLetterRecord(id, "order.placed", subscriptions, 3, "boom " + id, "{\"id\":\"" + id + "\"}",
                3);
    }

    private static List<UUID> ids(DeadLetterPage page) {
        return page.items().stream().map(DeadLetter::eventId).toList();
    }
}
