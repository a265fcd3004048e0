package io.hexbus.adapters.http;

import io.hexbus.adapters.metrics.OutboxHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The transactional outbox as the health and the statistics show it, once the app hands it over
 * ({@link AdminHttpServer#observeOutbox}); nothing until then. Thread-safe: set once, read by the request threads.
 */
final class ObservedOutbox {

    private static final Logger log = LoggerFactory.getLogger(ObservedOutbox.class);

    private volatile Supplier<OutboxHealth> outbox;

    void observe(Supplier<OutboxHealth> outbox) {
        this.outbox = outbox;
    }

    /** @return the outbox's part of {@code /health}, or empty when no outbox is observed */
    Optional<Map<String, Object>> health() {
        return Optional.ofNullable(outbox).map(ObservedOutbox::healthOf);
    }

    /** @return the outbox's part of the statistics, or empty when no outbox is observed */
    Optional<Map<String, Object>> stats() {
        return Optional.ofNullable(outbox).map(observed -> body(observed, true));
    }

    /**
     * What {@code /health} says of the outbox: DOWN when it cannot forward (its relay failing too long, or an event
     * waiting too long) or cannot be read, with its backlog. The relay's last error is in the log, not here: this
     * route answers without a token.
     *
     * @param outbox reads the outbox's health
     * @return the outbox's part of the health document
     */
    static Map<String, Object> healthOf(Supplier<OutboxHealth> outbox) {
        return body(outbox, false);
    }

    /**
     * @param withRelay also the rows this process's relay forwarded and its last error: the statistics, behind the
     *                  token, say them; the health does not
     */
    private static Map<String, Object> body(Supplier<OutboxHealth> outbox, boolean withRelay) {
        Map<String, Object> body = new LinkedHashMap<>();
        OutboxHealth health;
        try {
            health = outbox.get();
        } catch (RuntimeException unreadable) {
            log.warn("Health: the outbox cannot be read: {}", unreadable.getMessage());
            body.put("status", "DOWN");
            body.put("waiting", null);
            body.put("oldestWaitingAgeSeconds", null);
            body.put("dead", null);
            body.put("failingSince", null);
            return body;
        }
        body.put("status", health.healthy() ? "UP" : "DOWN");
        body.put("waiting", health.waiting());
        body.put("oldestWaitingAgeSeconds", health.oldestWaitingAge().toMillis() / 1000.0);
        body.put("dead", health.dead());
        body.put("failingSince", health.failingSince().orElse(null));
        if (withRelay) {
            body.put("forwarded", health.forwarded());
            body.put("lastError", health.lastError().orElse(null));
        }
        return body;
    }
}
