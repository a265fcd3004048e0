package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A message of the application's queues read from its AMQP properties, as written, unchecked beyond its shape: the
 * engine checks the routing fields and the envelope, and dead-letters what it cannot read. Pure.
 *
 * @param messageId    this physical message's own id ({@code message-id}), or null when its producer set none
 * @param eventName    the {@link Wire#NAME} header, or null
 * @param eventId      the {@link Wire#ID} header, or null
 * @param lineage      the {@link Wire#LINEAGE} header; the event id when absent
 * @param round        the {@link Wire#ROUND} header; 0 when absent
 * @param progress     the {@link Wire#PROGRESS} header (due times as delays), or null on a first round
 * @param only         the subscriptions a dead-letter retry is for ({@link Wire#ONLY}); empty: all
 * @param waitMillis   the {@link Wire#WAIT} header: the wait it had left when written to a retry tier; 0 when absent
 * @param tier         the {@link Wire#TIER} header: the tier it was written to, or null
 * @param publishedAt  the {@link Wire#PUBLISHED_AT} header (ISO-8601) in epoch ms, or -1 when absent or unreadable
 * @param envelope     the body as UTF-8 text
 * @param deliveries   how often the broker delivered it before and got it back unacknowledged (a quorum queue's
 *                     {@code x-delivery-count}); 0 when absent
 */
record RabbitMessage(String messageId, String eventName, String eventId, String lineage, int round, String progress,
                     Set<String> only, long waitMillis, String tier, long publishedAt, String envelope,
                     long deliveries) {

    /** The header a quorum queue counts a message's earlier deliveries in. */
    static final String DELIVERY_COUNT = "x-delivery-count";

    /** Separates the subscriptions of {@link Wire#ONLY}: a character no subscription name has (they are trimmed). */
    static final char ONLY_SEPARATOR = '\n';

    /**
     * Reads a delivery.
     *
     * @param properties its properties
     * @param body       its body
     * @return what it says; a header of the wrong type reads as absent, except where that would lose a retry's
     *         progress: see {@link #unreadable}
     */
    static RabbitMessage of(AMQP.BasicProperties properties, byte[] body) {
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        String eventId = text(headers.get(Wire.ID));
        String lineage = text(headers.get(Wire.LINEAGE));
        String onlyText = text(headers.get(Wire.ONLY));
        Set<String> only = onlyText == null || onlyText.isEmpty() ? Set.of()
                : new TreeSet<>(Arrays.asList(onlyText.split(String.valueOf(ONLY_SEPARATOR), -1)));
        return new RabbitMessage(properties.getMessageId(), text(headers.get(Wire.NAME)), eventId,
                lineage != null ? lineage : eventId, round(number(headers.get(Wire.ROUND), 0)),
                text(headers.get(Wire.PROGRESS)), only, number(headers.get(Wire.WAIT), 0),
                text(headers.get(Wire.TIER)), instant(headers.get(Wire.PUBLISHED_AT)),
                new String(body, StandardCharsets.UTF_8), Math.max(0, number(headers.get(DELIVERY_COUNT), 0)));
    }

    /**
     * @return whether the ledger can fence it: it has its own id and a lineage. A message of a foreign producer
     *         without them is handled without dedupe (say so in docs); the bus always writes both.
     */
    boolean fenced() {
        return messageId != null && !messageId.isBlank() && lineage != null && !lineage.isBlank();
    }

    /**
     * @return a reason it cannot be handled even by the engine's checks, or null: a round number below 0, or a
     *         wait below 0 (written by something else than a hexbus worker)
     */
    String unreadable() {
        if (round < 0) {
            return "header " + Wire.ROUND + " is " + round + ", not a round number";
        }
        if (waitMillis < 0) {
            return "header " + Wire.WAIT + " is " + waitMillis + ", not a wait";
        }
        return null;
    }

    private static long instant(Object value) {
        String text = text(value);
        if (text == null) {
            return -1;
        }
        try {
            return java.time.Instant.parse(text.trim()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return -1;
        }
    }

    private static int round(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static String text(Object value) {
        if (value instanceof LongString || value instanceof String) {
            return value.toString();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return null;
    }

    private static long number(Object value, long absent) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        String text = text(value);
        if (text != null) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE; // reported by unreadable() for the fields it checks
            }
        }
        return absent;
    }
}
