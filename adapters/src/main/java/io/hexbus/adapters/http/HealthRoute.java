package io.hexbus.adapters.http;

import io.hexbus.admin.http.AdminJson;
import io.hexbus.api.admin.QueueAdmin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * {@code GET /health}, without a token: UP (200) or DOWN (503), with the transport, the consumer lag, the workers
 * this process runs and the outbox, when one is observed. A queue that cannot be read makes it DOWN, never a 500.
 */
final class HealthRoute {

    private static final Logger log = LoggerFactory.getLogger(HealthRoute.class);

    private final Optional<QueueAdmin> admin;
    private final String transport;
    private final IntSupplier workersRunning;
    private final ObservedOutbox outbox;
    private final AdminJson json;

    HealthRoute(Optional<QueueAdmin> admin, String transport, IntSupplier workersRunning, ObservedOutbox outbox,
                AdminJson json) {
        this.admin = admin;
        this.transport = transport;
        this.workersRunning = workersRunning;
        this.outbox = outbox;
        this.json = json;
    }

    void handle(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = true;
        if (admin.isEmpty()) {
            body.put("status", "UP");
            body.put("transport", transport);
            body.put("redisReachable", null);
            body.put("workersRunning", null);
            body.put("consumerLag", null);
        } else {
            Long lag = null;
            try {
                lag = admin.get().stats().waiting();
            } catch (RuntimeException unreachable) {
                up = false;
                log.warn("Health: the queue cannot be read: {}", unreachable.getMessage());
            }
            body.put("status", up ? "UP" : "DOWN");
            body.put("transport", transport);
            body.put("redisReachable", transport.equals("redis") ? up : null); // named before other queues existed
            body.put("workersRunning", workersRunning.getAsInt());
            body.put("consumerLag", lag);
        }
        Optional<Map<String, Object>> outboxBody = outbox.health();
        if (outboxBody.isPresent()) {
            up &= "UP".equals(outboxBody.get().get("status"));
            body.put("status", up ? "UP" : "DOWN");
            body.put("outbox", outboxBody.get());
        }
        json.write(ctx, up ? 200 : 503, body);
    }
}
